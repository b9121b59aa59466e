package dev.labjournal.query.alerts.evaluation.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunChangeMergeTest {

    @Test
    void theLaterChangeWinsAndAFinishOrFailureOfEitherCounts() {
        RunChange failed = new RunChange(
                "t",
                "r",
                3,
                "failed",
                true,
                true,
                List.of(new MetricChange("loss", 1.0, 1.0, 1.0, 1, 5)),
                Map.of(),
                Map.of("lr", "0.1"));
        RunChange later = new RunChange(
                "t",
                "r",
                4,
                null,
                false,
                false,
                List.of(new MetricChange("loss", 2.0, 1.0, 2.0, 2, 7)),
                Map.of("env", "dev"),
                Map.of());
        RunChange merged = RunChangeMerge.merge(failed, later);
        assertThat(merged.version()).isEqualTo(4);
        assertThat(merged.status()).isEqualTo("failed");
        assertThat(merged.finished()).isTrue();
        assertThat(merged.failed()).isTrue();
        assertThat(merged.metrics()).containsExactly(new MetricChange("loss", 2.0, 1.0, 2.0, 2, 7));
        assertThat(merged.tags()).isEqualTo(Map.of("env", "dev"));
        assertThat(merged.params()).isEqualTo(Map.of("lr", "0.1"));
    }

    @Test
    void aReannouncementAddsNothing() {
        RunChange finished = new RunChange("t", "r", 2, "succeeded", true, false, List.of(), Map.of(), Map.of());
        RunChange merged = RunChangeMerge.merge(finished, new RunChange("t", "r", 2));
        assertThat(merged.finished()).isTrue();
        assertThat(merged.status()).isEqualTo("succeeded");
    }
}
