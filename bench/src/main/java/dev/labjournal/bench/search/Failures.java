package dev.labjournal.bench.search;

import java.util.List;
import java.util.Random;

/**
 * Realistic ML training failures for the benchmark's failed runs: exception type, message and a Python stack trace
 * with the project's own frames over library frames, with the numbers, ranks, devices and paths varying per run.
 */
final class Failures {

    /** One failure of a run. */
    record Failure(String family, String type, String message, String stacktrace, long step) {}

    private record Template(String family, String type, String message, List<String> libraryFrames) {}

    private static final List<Template> TEMPLATES = List.of(
            new Template(
                    "cuda-oom",
                    "torch.OutOfMemoryError",
                    "CUDA out of memory. Tried to allocate %d.00 MiB. GPU %d has a total capacity of 79.15 GiB of"
                            + " which %d.21 MiB is free.",
                    List.of(
                            "torch/nn/modules/module.py:1553:_wrapped_call_impl",
                            "torch/nn/modules/conv.py:454:_conv_forward")),
            new Template(
                    "host-oom",
                    "MemoryError",
                    "Unable to allocate %d.0 GiB for an array with shape (%d, 3, 224, 224) and data type float32",
                    List.of("numpy/core/numeric.py:%d:concatenate", "torch/utils/data/dataloader.py:631:__next__")),
            new Template(
                    "nan-loss",
                    "FloatingPointError",
                    "Loss is NaN at step %d (lr=%d e-4); stopping training",
                    List.of("lightning/pytorch/loops/fit_loop.py:%d:advance")),
            new Template(
                    "exploding-gradients",
                    "RuntimeError",
                    "Gradient norm %d.5 exceeds max_grad_norm after clipping at step %d",
                    List.of("torch/nn/utils/clip_grad.py:%d:clip_grad_norm_")),
            new Template(
                    "loss-scale",
                    "RuntimeError",
                    "Current loss scale already at minimum - cannot decrease scale anymore. Exiting run. (step %d, rank %d)",
                    List.of(
                            "deepspeed/runtime/fp16/loss_scaler.py:%d:update_scale",
                            "deepspeed/runtime/engine.py:2104:step")),
            new Template(
                    "nccl-timeout",
                    "torch.distributed.DistBackendError",
                    "[Rank %d] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=%d, OpType=ALLREDUCE,"
                            + " Timeout(ms)=600000) ran for 600%d milliseconds before timing out.",
                    List.of("torch/distributed/distributed_c10d.py:%d:all_reduce")),
            new Template(
                    "rendezvous",
                    "torch.distributed.elastic.rendezvous.api.RendezvousTimeoutError",
                    "The node 'worker-%d' has failed to join the rendezvous 'job-%d' within 900 seconds",
                    List.of("torch/distributed/elastic/rendezvous/dynamic_rendezvous.py:%d:next_rendezvous")),
            new Template(
                    "preempted",
                    "SystemExit",
                    "Received SIGTERM: spot instance i-0%d preempted at step %d, checkpoint saved",
                    List.of("ray/train/_internal/session.py:%d:_report")),
            new Template(
                    "shape-mismatch",
                    "RuntimeError",
                    "mat1 and mat2 shapes cannot be multiplied (%dx2048 and 1024x%d)",
                    List.of("torch/nn/modules/linear.py:%d:forward")),
            new Template(
                    "xgboost-label",
                    "xgboost.core.XGBoostError",
                    "[%d:12:07] ../src/objective/regression_obj.cu:%d: label must be in [0,1] for logistic regression",
                    List.of("xgboost/core.py:%d:_check_call", "xgboost/training.py:181:train")),
            new Template(
                    "tokenizer",
                    "OSError",
                    "Can't load tokenizer for 'org-%d/llama-7b'. Make sure the path is correct (revision %d)",
                    List.of("transformers/tokenization_utils_base.py:%d:from_pretrained")),
            new Template(
                    "jax-xla-oom",
                    "jaxlib.xla_extension.XlaRuntimeError",
                    "RESOURCE_EXHAUSTED: Out of memory while trying to allocate %d bytes on TPU core %d",
                    List.of("jax/_src/interpreters/pxla.py:%d:__call__")));

    private static final String[] PROJECT_FILES = {"train.py", "engine.py", "trainer/loop.py", "models/net.py"};
    private static final String[] PROJECT_FUNCTIONS = {"main", "train_one_epoch", "step", "forward", "fit"};

    private Failures() {}

    static int families() {
        return TEMPLATES.size();
    }

    /** A failure of the given family with numbers and call sites drawn from the random source. */
    static Failure of(int family, Random random) {
        Template t = TEMPLATES.get(family % TEMPLATES.size());
        String message = fill(t.message(), random);
        StringBuilder trace = new StringBuilder("Traceback (most recent call last):\n");
        String root = "/home/user" + random.nextInt(50) + "/project";
        for (int depth = 0; depth < 2 + random.nextInt(3); depth++) {
            trace.append("  File \"")
                    .append(root)
                    .append('/')
                    .append(PROJECT_FILES[random.nextInt(PROJECT_FILES.length)])
                    .append("\", line ")
                    .append(20 + random.nextInt(400))
                    .append(", in ")
                    .append(PROJECT_FUNCTIONS[random.nextInt(PROJECT_FUNCTIONS.length)])
                    .append('\n')
                    .append("    result = run(batch)\n");
        }
        for (String frame : t.libraryFrames()) {
            String[] parts = fill(frame, random).split(":");
            trace.append("  File \"/usr/local/lib/python3.11/site-packages/")
                    .append(parts[0])
                    .append("\", line ")
                    .append(parts[1])
                    .append(", in ")
                    .append(parts[2])
                    .append('\n');
        }
        trace.append(t.type()).append(": ").append(message).append('\n');
        return new Failure(t.family(), t.type(), message, trace.toString(), random.nextInt(100_000));
    }

    private static String fill(String format, Random random) {
        int holes = format.split("%d", -1).length - 1;
        Object[] values = new Object[holes];
        for (int i = 0; i < holes; i++) {
            values[i] = 1 + random.nextInt(4096);
        }
        return String.format(format, values);
    }
}
