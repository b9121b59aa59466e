package dev.labjournal.ingest.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchChangesTest {

    private static final RunKey RUN = new RunKey("acme", "run-1");
    private static final RunKey OTHER = new RunKey("acme", "run-2");

    @Test
    void collectsWhatTheStatementsStoredRunByRun() {
        BatchChanges changes = new BatchChanges();
        changes.touched(RUN, 7, "running");
        changes.touched(OTHER, 2, "succeeded");
        changes.tagsSet(RUN, Map.of("model", "resnet50"));
        changes.tagsSet(RUN, Map.of("model", "resnet101", "stage", "warmup"));
        changes.paramsSet(RUN, Map.of("lr", "0.1"));
        changes.metricStored(RUN, new MetricChange("loss", 0.5, 0.2, 0.9, 3, 30));
        changes.metricStored(RUN, new MetricChange("acc", 0.7, 0.1, 0.7, 3, 30));
        changes.finished(RUN, "failed");

        Map<RunKey, RunChange> all = changes.toChanges();

        assertThat(all.get(RUN))
                .isEqualTo(new RunChange(
                        "acme",
                        "run-1",
                        7,
                        "failed",
                        true,
                        true,
                        List.of(
                                new MetricChange("acc", 0.7, 0.1, 0.7, 3, 30),
                                new MetricChange("loss", 0.5, 0.2, 0.9, 3, 30)),
                        Map.of("model", "resnet101", "stage", "warmup"),
                        Map.of("lr", "0.1")));
        assertThat(all.get(OTHER))
                .isEqualTo(new RunChange("acme", "run-2", 2, "succeeded", false, false, List.of(), Map.of(), Map.of()));
    }

    @Test
    void aLaterFinishDecidesWhetherTheRunFailed() {
        BatchChanges changes = new BatchChanges();
        changes.touched(RUN, 3, "running");
        changes.finished(RUN, "failed");
        changes.finished(RUN, "succeeded");

        RunChange change = changes.toChanges().get(RUN);
        assertThat(change.status()).isEqualTo("succeeded");
        assertThat(change.finished()).isTrue();
        assertThat(change.failed()).isFalse();
    }

    @Test
    void replayedRunsAreReannouncedUnlessTheBatchChangedThemToo() {
        BatchChanges changes = new BatchChanges();
        changes.touched(RUN, 4, "running");
        changes.paramsSet(RUN, Map.of("lr", "0.1"));
        changes.reannounce(RUN, 4);
        changes.reannounce(OTHER, 9);

        Map<RunKey, RunChange> all = changes.toChanges();
        assertThat(all.get(RUN).params()).containsEntry("lr", "0.1");
        assertThat(all.get(OTHER)).isEqualTo(new RunChange("acme", "run-2", 9));
    }

    @Test
    void aChangeOfARunTheBatchDidNotTouchIsABug() {
        BatchChanges changes = new BatchChanges();
        assertThatThrownBy(() -> changes.tagsSet(RUN, Map.of("a", "b")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("acme:run-1");
    }

    @Test
    void mergeKeepsWhatTheNewerVersionSaysOverTheOlder() {
        RunChange older = new RunChange(
                "acme",
                "run-1",
                5,
                "running",
                true,
                true,
                List.of(new MetricChange("loss", 0.5, 0.2, 0.9, 3, 30), new MetricChange("acc", 0.1, 0.1, 0.1, 1, 1)),
                Map.of("model", "a", "stage", "warmup"),
                Map.of("lr", "0.1"));
        RunChange newer = new RunChange(
                "acme",
                "run-1",
                6,
                null,
                false,
                false,
                List.of(new MetricChange("loss", 0.4, 0.2, 0.9, 4, 40)),
                Map.of("model", "b"),
                Map.of("seed", "1"));
        RunChange expected = new RunChange(
                "acme",
                "run-1",
                6,
                "running",
                true,
                true,
                List.of(new MetricChange("acc", 0.1, 0.1, 0.1, 1, 1), new MetricChange("loss", 0.4, 0.2, 0.9, 4, 40)),
                Map.of("model", "b", "stage", "warmup"),
                Map.of("lr", "0.1", "seed", "1"));

        assertThat(BatchChanges.merge(older, newer)).isEqualTo(expected);
        assertThat(BatchChanges.merge(newer, older))
                .as("order of the arguments")
                .isEqualTo(expected);
    }

    @Test
    void mergeTakesTheFailureOfTheNewerFinish() {
        RunChange failed = new RunChange("acme", "run-1", 5, "failed", true, true, List.of(), Map.of(), Map.of());
        RunChange succeeded =
                new RunChange("acme", "run-1", 6, "succeeded", true, false, List.of(), Map.of(), Map.of());

        RunChange merged = BatchChanges.merge(failed, succeeded);
        assertThat(merged.status()).isEqualTo("succeeded");
        assertThat(merged.finished()).isTrue();
        assertThat(merged.failed()).isFalse();
    }

    @Test
    void resultsOfOneByOneTransactionsAddUpPerRun() {
        IngestResult first = new IngestResult(
                Map.of(RUN, new RunChange("acme", "run-1", 2, "running", false, false, List.of(), Map.of(), Map.of())),
                List.of(),
                1,
                10);
        IngestResult second = new IngestResult(
                Map.of(
                        RUN,
                        new RunChange("acme", "run-1", 3, null, false, false, List.of(), Map.of("t", "v"), Map.of()),
                        OTHER,
                        new RunChange("acme", "run-2", 1)),
                List.of(),
                2,
                5);

        IngestResult sum = first.plus(second);
        assertThat(sum.changes()).containsOnlyKeys(RUN, OTHER);
        assertThat(sum.changes().get(RUN).version()).isEqualTo(3);
        assertThat(sum.changes().get(RUN).status()).isEqualTo("running");
        assertThat(sum.changes().get(RUN).tags()).containsExactlyEntriesOf(Map.of("t", "v"));
        assertThat(sum.appliedEvents()).isEqualTo(3);
        assertThat(sum.appliedPoints()).isEqualTo(15);
    }
}
