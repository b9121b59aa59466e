package dev.labjournal.ingest.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricBatchTest {

    private static final RunKey RUN = new RunKey("acme", "run-1");
    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-22T10:00:00Z");

    @Test
    void keepsEveryPointInOrderAndSummarisesEachSeries() {
        MetricBatch batch = new MetricBatch();
        batch.add(RUN, "loss", 1, T0, 0.9);
        batch.add(RUN, "acc", 1, T0, 0.1);
        batch.add(RUN, "loss", 3, T0, 0.5);
        batch.add(RUN, "loss", 2, T0.plusSeconds(9), 0.2);

        assertThat(batch.size()).isEqualTo(4);
        assertThat(List.of(batch.key(2), batch.step(2), batch.value(2))).containsExactly("loss", 3L, 0.5);
        assertThat(batch.metricKeys()).containsExactly(new MetricKey("acme", "loss"), new MetricKey("acme", "acc"));
        assertThat(batch.summaries())
                .containsExactly(
                        new MetricSummary(RUN, "loss", 0.5, 3, T0, 0.2, 0.9, 3),
                        new MetricSummary(RUN, "acc", 0.1, 1, T0, 0.1, 0.1, 1));
    }

    @Test
    void theLastPointIsTheHighestStepThenTheLatestTime() {
        MetricBatch batch = new MetricBatch();
        batch.add(RUN, "loss", 5, T0.plusSeconds(1), 0.4);
        batch.add(RUN, "loss", 5, T0, 0.3);
        batch.add(RUN, "loss", 4, T0.plusSeconds(60), 0.1);

        MetricSummary summary = batch.summaries().get(0);
        assertThat(summary.lastStep()).isEqualTo(5);
        assertThat(summary.lastTime()).isEqualTo(T0.plusSeconds(1));
        assertThat(summary.lastValue()).isEqualTo(0.4);
    }

    @Test
    void nanIsCountedAndCanBeLastButNeverMinOrMax() {
        MetricBatch batch = new MetricBatch();
        batch.add(RUN, "loss", 1, T0, Double.NaN);
        MetricSummary onlyNan = batch.summaries().get(0);
        assertThat(onlyNan.min()).isNull();
        assertThat(onlyNan.max()).isNull();
        assertThat(onlyNan.lastValue()).isNaN();

        batch.add(RUN, "loss", 2, T0, Double.NEGATIVE_INFINITY);
        batch.add(RUN, "loss", 3, T0, Double.POSITIVE_INFINITY);
        batch.add(RUN, "loss", 4, T0, Double.NaN);
        MetricSummary mixed = batch.summaries().get(0);
        assertThat(mixed.count()).isEqualTo(4);
        assertThat(mixed.min()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(mixed.max()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(mixed.lastValue()).isNaN();
    }

    @Test
    void growsPastItsInitialCapacityAndKeepsRunsOfTenantsApart() {
        MetricBatch batch = new MetricBatch();
        RunKey other = new RunKey("globex", "run-1");
        for (int i = 0; i < 5000; i++) {
            batch.add(i % 2 == 0 ? RUN : other, "loss", i, T0, i);
        }

        assertThat(batch.size()).isEqualTo(5000);
        assertThat(batch.step(4999)).isEqualTo(4999);
        assertThat(batch.run(4999)).isEqualTo(other);
        assertThat(batch.summaries()).extracting(MetricSummary::count).containsExactly(2500L, 2500L);
        assertThat(batch.metricKeys()).hasSize(2);
    }
}
