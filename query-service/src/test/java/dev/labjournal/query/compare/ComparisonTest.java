package dev.labjournal.query.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.query.compare.ComparedRun.MetricSummary;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The param diff, shared params and metrics side by side of {@link Comparison#of}, against hand-worked answers. */
class ComparisonTest {

    private static final OffsetDateTime START = OffsetDateTime.parse("2026-01-01T10:00:00Z");
    private static final MetricSummary LOSS_A = new MetricSummary(0.25, 0.25, 2.0, 9L, 10L);
    private static final MetricSummary LOSS_B = new MetricSummary("NaN", 0.5, 3.0, 4L, 5L);
    private static final MetricSummary ACC_B = new MetricSummary(0.9, 0.1, 0.9, 4L, 5L);

    private static final ComparedRun A = new ComparedRun(
            "a",
            "run a",
            "p",
            "vision",
            "ada",
            "succeeded",
            null,
            START,
            START.plusSeconds(90),
            Map.of("lr", "0.1", "batch_size", "512", "seed", "1"),
            Map.of("loss", LOSS_A));
    private static final ComparedRun B = new ComparedRun(
            "b",
            "run b",
            "p",
            "vision",
            "bob",
            "failed",
            new ComparedRun.Failure("OOM", "out of memory", 3L),
            START,
            null,
            Map.of("lr", "0.2", "batch_size", "512"),
            Map.of("loss", LOSS_B, "acc", ACC_B));

    @Test
    void paramsThatDifferOrAreMissingAreTheDiffAndEqualOnesAreShared() {
        Comparison comparison = Comparison.of(List.of("b", "a"), Map.of("a", A, "b", B));

        assertThat(comparison.paramDiff()).containsOnlyKeys("lr", "seed");
        assertThat(comparison.paramDiff().get("lr")).containsExactly(Map.entry("b", "0.2"), Map.entry("a", "0.1"));
        assertThat(comparison.paramDiff().get("seed")).containsExactly(entry("b", null), Map.entry("a", "1"));
        assertThat(comparison.sharedParams()).containsExactly(Map.entry("batch_size", "512"));
    }

    @Test
    void metricsAreSideBySideWithNullWhereARunLacksOne() {
        Comparison comparison = Comparison.of(List.of("a", "b"), Map.of("a", A, "b", B));

        assertThat(comparison.metrics()).containsOnlyKeys("acc", "loss");
        assertThat(comparison.metrics().get("loss")).containsExactly(Map.entry("a", LOSS_A), Map.entry("b", LOSS_B));
        assertThat(comparison.metrics().get("acc")).containsExactly(entry("a", null), Map.entry("b", ACC_B));
    }

    @Test
    void runsKeepTheRequestedOrderAndTheMissingOnesAreListedApart() {
        Comparison comparison = Comparison.of(List.of("x", "b", "y", "a"), Map.of("a", A, "b", B));

        assertThat(comparison.runs()).extracting(Comparison.RunSummary::runId).containsExactly("b", "a");
        assertThat(comparison.notFound()).containsExactly("x", "y");
        assertThat(comparison.runs().get(1).durationMs()).isEqualTo(90_000L);
        assertThat(comparison.runs().get(0).durationMs()).as("no end time yet").isNull();
        assertThat(comparison.runs().get(0).failure().type()).isEqualTo("OOM");
    }

    @Test
    void oneRunSharesAllItsParamsAndNoneFoundComparesNothing() {
        Comparison one = Comparison.of(List.of("a"), Map.of("a", A));
        assertThat(one.paramDiff()).isEmpty();
        assertThat(one.sharedParams()).containsOnlyKeys("batch_size", "lr", "seed");

        Comparison none = Comparison.of(List.of("x"), Map.of());
        assertThat(none.runs()).isEmpty();
        assertThat(none.notFound()).containsExactly("x");
        assertThat(none.paramDiff()).isEmpty();
        assertThat(none.sharedParams()).isEmpty();
        assertThat(none.metrics()).isEmpty();
    }

    /** An entry whose value may be null (Map.entry refuses null). */
    private static <V> Map.Entry<String, V> entry(String key, V value) {
        Map<String, V> map = new LinkedHashMap<>();
        map.put(key, value);
        return map.entrySet().iterator().next();
    }
}
