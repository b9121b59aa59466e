package dev.labjournal.query.failures.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class FailureSignatureTest {

    /** The labelled corpus of the evaluation IT (e2e), read from the source tree. */
    private static final Path CORPUS = Path.of("..", "e2e", "src", "test", "resources", "failures", "corpus");

    private static String python(String appFile, String libFile, String lastLine) {
        return "Traceback (most recent call last):\n"
                + "  File \"" + appFile + "\", line 88, in main\n    trainer.fit(model)\n"
                + "  File \"" + libFile + "\", line 1520, in _call_impl\n    return forward_call(*args)\n"
                + lastLine + "\n";
    }

    private static String group(String type, String lastLine, String appFile) {
        return FailureSignature.of(
                        type,
                        lastLine.substring(lastLine.indexOf(": ") + 2),
                        python(appFile, "/opt/conda/lib/python3.10/site-packages/torch/nn/modules/module.py", lastLine))
                .group();
    }

    @Test
    void variantsOfOneFailureInOtherTeamsShareAGroup() {
        String vision = group(
                "torch.cuda.OutOfMemoryError",
                "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB. GPU 3 has a total"
                        + " capacity of 79.15 GiB of which 17.25 MiB is free.",
                "/home/ada/vision/train.py");
        String nlp = group(
                "OutOfMemoryError",
                "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 11.47 GiB. GPU 0 has a total"
                        + " capacity of 39.39 GiB of which 901.00 MiB is free.",
                "/workspace/llm/pretrain.py");
        assertThat(nlp).isEqualTo(vision).matches("[0-9a-f]{12}");
    }

    @Test
    void confusableFailuresGetDifferentGroups() {
        String app = "/home/ada/vision/train.py";
        assertThat(List.of(
                        group(
                                "torch.cuda.OutOfMemoryError",
                                "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried" + " to allocate 2.00 GiB.",
                                app),
                        group(
                                "RuntimeError",
                                "RuntimeError: [enforce fail at alloc_cpu.cpp:83] data."
                                        + " DefaultCPUAllocator: not enough memory: you tried to allocate 8589934592 bytes.",
                                app),
                        group(
                                "RuntimeError",
                                "RuntimeError: Function 'LogSoftmaxBackward0' returned nan values in its"
                                        + " 0th output.",
                                app),
                        group(
                                "RuntimeError",
                                "RuntimeError: The total norm of order 2.0 for gradients from"
                                        + " `parameters` is non-finite, so it cannot be clipped.",
                                app),
                        group(
                                "Exception",
                                "Exception: Current loss scale already at minimum - cannot decrease scale"
                                        + " anymore. Exiting run.",
                                app),
                        group(
                                "SystemExit",
                                "SystemExit: *** STEP 41.0 ON a100-37 CANCELLED AT 2026-01-05T07:06:57 DUE"
                                        + " TO PREEMPTION ***",
                                app),
                        group(
                                "SystemExit",
                                "SystemExit: *** STEP 42.0 ON a100-12 CANCELLED AT 2026-01-05T09:06:57 DUE"
                                        + " TO TIME LIMIT ***",
                                app),
                        group("SignalException", "SignalException: Process 4123 got signal: 15", app),
                        group("SignalException", "SignalException: Process 4123 got signal: 9", app)))
                .doesNotHaveDuplicates();
    }

    @Test
    void aFailureWithoutAMessageIsGroupedByWhereItWasRaised() {
        String here = FailureSignature.of(
                        "StopIteration",
                        "",
                        python(
                                "/srv/recsys/ranker/fit.py",
                                "/usr/lib/python3/dist-packages/torch/utils/data/dataloader.py",
                                "StopIteration"))
                .group();
        String hereOnAnotherMachine = FailureSignature.of(
                        "StopIteration",
                        null,
                        python(
                                "/home/bob/recsys/ranker/fit.py",
                                "/opt/conda/lib/python3.11/site-packages/torch/utils/data/dataloader.py",
                                "StopIteration"))
                .group();
        String elsewhere = FailureSignature.of(
                        "StopIteration",
                        "",
                        python(
                                "/srv/recsys/ranker/eval.py",
                                "/usr/lib/python3/dist-packages/torch/utils/data/dataloader.py",
                                "StopIteration"))
                .group();
        assertThat(hereOnAnotherMachine).isEqualTo(here);
        assertThat(elsewhere).isNotEqualTo(here);
    }

    @Test
    void withoutATraceTheReportedTypeAndMessageMakeTheSignature() {
        FailureSignature signature = FailureSignature.of(
                "SlurmTimeLimit",
                "JOB 4821337 ON gpu-node-17 CANCELLED AT 2026-03-11T09:14:22 DUE TO TIME LIMIT",
                null);
        assertThat(signature.exceptionType()).isEqualTo("SlurmTimeLimit");
        assertThat(signature.normalisedMessage())
                .isEqualTo("JOB <n> ON gpu-node-<n> CANCELLED AT <time> DUE TO TIME LIMIT");
        assertThat(signature.appFrames()).isEmpty();
        assertThat(FailureSignature.of(null, " ", null)).isNull();
    }

    @Test
    void theSignatureListsTypesOfTheChainAndFramesByKind() {
        String trace = python(
                "/home/ada/vision/train.py",
                "/opt/conda/lib/python3.10/site-packages/torch/nn/modules/module.py",
                "torch.cuda.OutOfMemoryError: CUDA out of memory.");
        FailureSignature signature = FailureSignature.of("torch.cuda.OutOfMemoryError", "CUDA out of memory.", trace);
        assertThat(signature.exceptionTypes()).containsExactly("OutOfMemoryError");
        assertThat(signature.appFrames()).containsExactly("vision/train.py:main");
        assertThat(signature.libraryFrames()).containsExactly("torch/nn/modules/module.py:_call_impl");
    }

    /**
     * Over the whole labelled corpus: no group holds two root causes (the confusable families included), and the
     * variants of nearly every root cause share one group. The root causes that split do so by a name the message
     * carries that the kernel keeps (an estimator class: {@code SVC}, {@code Ridge}); similar failures still rank them
     * together by message and frames.
     */
    @Test
    void overTheCorpusNoGroupHoldsTwoRootCausesAndNearlyEveryRootCauseIsOneGroup() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Map<String, String> rootCauseOfGroup = new HashMap<>();
        Map<String, Set<String>> groupsOfRootCause = new TreeMap<>();
        try (Stream<Path> files = Files.list(CORPUS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode rootCause = json.readTree(file.toFile());
                String label = rootCause.get("root_cause").asText();
                for (JsonNode v : rootCause.get("variants")) {
                    String group = FailureSignature.of(
                                    v.get("type").asText(),
                                    v.get("message").asText(),
                                    v.get("stacktrace").asText())
                            .group();
                    String other = rootCauseOfGroup.putIfAbsent(group, label);
                    assertThat(other == null ? label : other)
                            .as("group %s of %s", group, label)
                            .isEqualTo(label);
                    groupsOfRootCause
                            .computeIfAbsent(label, l -> new LinkedHashSet<>())
                            .add(group);
                }
            }
        }
        assertThat(groupsOfRootCause).hasSizeGreaterThanOrEqualTo(30);
        Map<String, Integer> split = new TreeMap<>();
        groupsOfRootCause.forEach((label, groups) -> {
            if (groups.size() > 1) {
                split.put(label, groups.size());
            }
        });
        assertThat(split)
                .as("root causes in more than one group")
                .containsOnlyKeys("sklearn-feature-count", "sklearn-nan-input");
    }
}
