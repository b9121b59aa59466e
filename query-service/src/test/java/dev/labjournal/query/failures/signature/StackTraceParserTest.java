package dev.labjournal.query.failures.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StackTraceParserTest {

    private static final String CAUSE_CHAIN = """
            Traceback (most recent call last):
              File "/usr/lib/python3/dist-packages/torch/utils/data/dataloader.py", line 1133, in _try_get_data
                data = self._data_queue.get(timeout=timeout)
              File "/usr/lib/python3.11/multiprocessing/queues.py", line 113, in get
                if not self._poll(timeout):
            RuntimeError: DataLoader worker (pid 37350) is killed by signal: Killed.

            The above exception was the direct cause of the following exception:

            Traceback (most recent call last):
              File "/opt/ml/demand/train_model.py", line 137, in run
                result = experiment.execute()
              File "/usr/lib/python3/dist-packages/torch/utils/data/dataloader.py", line 1146, in _try_get_data
                raise RuntimeError(f'DataLoader worker (pid(s) {pids_str}) exited unexpectedly') from e
            RuntimeError: DataLoader worker (pid(s) 67091, 36206) exited unexpectedly
            """;

    @Test
    void aPythonCauseChainHasItsFirstExceptionAsRootAndFramesInnermostFirst() {
        ParsedTrace trace = StackTraceParser.parse(CAUSE_CHAIN);

        assertThat(trace.chain()).hasSize(2);
        assertThat(trace.root()).isSameAs(trace.chain().get(0));
        assertThat(trace.root().type()).isEqualTo("RuntimeError");
        assertThat(trace.root().message()).isEqualTo("DataLoader worker (pid 37350) is killed by signal: Killed.");
        assertThat(trace.root().frames())
                .containsExactly(
                        new Frame("multiprocessing/queues.py:get", false),
                        new Frame("torch/utils/data/dataloader.py:_try_get_data", false));
        assertThat(trace.chain().get(1).frames())
                .containsExactly(
                        new Frame("torch/utils/data/dataloader.py:_try_get_data", false),
                        new Frame("demand/train_model.py:run", true));
    }

    @Test
    void anExceptionRaisedWhileHandlingAnotherIsTheRoot() {
        String trace = """
                Traceback (most recent call last):
                  File "/home/u/.venv/lib/python3.12/site-packages/transformers/utils/hub.py", line 398, in cached_file
                    resolved_file = hf_hub_download(
                KeyError: 'config.json'

                During handling of the above exception, another exception occurred:

                Traceback (most recent call last):
                  File "/workspace/llm/pretrain.py", line 12, in <module>
                    model = AutoModel.from_pretrained(name)
                OSError: acme/bert is not a local folder and is not a valid model identifier
                """;

        ParsedTrace parsed = StackTraceParser.parse(trace);

        assertThat(parsed.chain()).extracting(ChainedException::type).containsExactly("KeyError", "OSError");
        assertThat(parsed.root().type()).isEqualTo("OSError");
        assertThat(parsed.root().frames()).containsExactly(new Frame("llm/pretrain.py:<module>", true));
    }

    @Test
    void aMultiLineMessageIsKeptWhole() {
        String trace = """
                Traceback (most recent call last):
                  File "/opt/conda/lib/python3.10/site-packages/torch/nn/modules/module.py", line 2153, in load_state_dict
                    raise RuntimeError(
                RuntimeError: Error(s) in loading state_dict for ResNet:
                \tsize mismatch for fc.weight: copying a param with shape torch.Size([1000, 2048]) from checkpoint.
                """;

        ChainedException root = StackTraceParser.parse(trace).root();

        assertThat(root.message())
                .isEqualTo("Error(s) in loading state_dict for ResNet:\n\tsize mismatch for fc.weight: copying a param"
                        + " with shape torch.Size([1000, 2048]) from checkpoint.");
        assertThat(root.frames()).containsExactly(new Frame("torch/nn/modules/module.py:load_state_dict", false));
    }

    @Test
    void logLinesBeforeATracebackAndSourceLinesAreSkipped() {
        String trace = """
                2026-03-11 09:14:22 INFO step 1200 loss 2.31
                Traceback (most recent call last):
                  File "<frozen runpy>", line 198, in _run_module_as_main
                  File "/srv/recsys/ranker/fit.py", line 40, in main
                    model = pipeline.fit(train)
                        ^^^^^^^^^^^^^^^^^^^^
                StopIteration
                """;

        ChainedException root = StackTraceParser.parse(trace).root();

        assertThat(root.type()).isEqualTo("StopIteration");
        assertThat(root.message()).isEmpty();
        assertThat(root.frames())
                .containsExactly(
                        new Frame("ranker/fit.py:main", true), new Frame("<frozen runpy>:_run_module_as_main", false));
    }

    @Test
    void aJvmTraceHasItsLastCauseAsRootAndSkipsMoreAndSuppressed() {
        String trace = """
                Exception in thread "main" org.apache.spark.SparkException: Job aborted due to stage failure: Task 3 failed
                \tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2844)
                \tat org.apache.spark.scheduler.DAGScheduler.$anonfun$abortStage$2(DAGScheduler.scala:2780)
                \tat com.acme.recsys.features.FeatureJob.lambda$run$3(FeatureJob.java:88)
                \tat java.base/java.lang.Thread.run(Thread.java:840)
                \tSuppressed: java.io.IOException: close failed
                \t\tat com.acme.recsys.features.Exporter.close(Exporter.java:12)
                Caused by: java.lang.IllegalStateException: buffer closed
                \tat com.acme.recsys.features.Exporter.write(Exporter.java:51)
                \t... 12 more
                Caused by: java.lang.OutOfMemoryError: Java heap space
                \tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)
                \tat com.acme.recsys.features.Pipeline$$Lambda$412/0x0000000800c4b040.apply(Unknown Source)
                \t... 40 common frames omitted
                """;

        ParsedTrace parsed = StackTraceParser.parse(trace);

        assertThat(parsed.chain())
                .extracting(ChainedException::type)
                .containsExactly(
                        "org.apache.spark.SparkException",
                        "java.lang.IllegalStateException",
                        "java.lang.OutOfMemoryError");
        assertThat(parsed.chain().get(0).message()).isEqualTo("Job aborted due to stage failure: Task 3 failed");
        assertThat(parsed.chain().get(0).frames())
                .containsExactly(
                        new Frame("org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages", false),
                        new Frame("org.apache.spark.scheduler.DAGScheduler.$anonfun$abortStage", false),
                        new Frame("com.acme.recsys.features.FeatureJob.lambda$run", true),
                        new Frame("java.lang.Thread.run", false));
        assertThat(parsed.root().message()).isEqualTo("Java heap space");
        assertThat(parsed.root().frames())
                .containsExactly(
                        new Frame("java.util.Arrays.copyOf", false),
                        new Frame("com.acme.recsys.features.Pipeline.apply", true));
    }

    @Test
    void textThatIsNoTraceParsesToNothing() {
        assertThat(StackTraceParser.parse(null).isEmpty()).isTrue();
        assertThat(StackTraceParser.parse("").isEmpty()).isTrue();
        assertThat(StackTraceParser.parse("slurmstepd: error: *** JOB 4821337 CANCELLED DUE TO TIME LIMIT ***")
                        .isEmpty())
                .isTrue();
        assertThat(List.of(StackTraceParser.parse("Traceback (most recent call last):")
                        .chain()))
                .hasSize(1);
    }
}
