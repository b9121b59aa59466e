package dev.labjournal.query.failures.signature;

/**
 * One stack frame, normalised so that the same code reads the same across machines, installs and versions: a library
 * frame is its package-relative file and function ({@code torch/nn/modules/conv.py:_conv_forward}, {@code
 * org.apache.spark.executor.Executor$TaskRunner.run}), a project frame its last two path segments and function
 * ({@code models/resnet.py:forward}); line numbers are left out, as they move with every edit.
 *
 * @param inApp whether the frame is the project's own code rather than a library's or the runtime's
 */
public record Frame(String normalised, boolean inApp) {}
