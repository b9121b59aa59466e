package dev.labjournal.query.alerts.evaluation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.labjournal.schemas.changes.RunChange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class BatchEvaluationTest {

    private static final RunChange GOOD_1 = new RunChange("acme", "run-1", 1);
    private static final RunChange POISON = new RunChange("acme", "run-2", 1);
    private static final RunChange GOOD_3 = new RunChange("acme", "run-3", 1);

    private final List<List<String>> calls = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** One alert per change evaluated; any batch holding run-2 fails. */
    private AlertEvaluation evaluation() {
        AlertEvaluation evaluation = mock(AlertEvaluation.class);
        when(evaluation.evaluate(anyList())).thenAnswer(call -> {
            List<RunChange> batch = call.getArgument(0);
            calls.add(batch.stream().map(RunChange::runId).toList());
            return batch.contains(POISON)
                    ? Uni.createFrom().failure(new IllegalStateException("cannot judge run-2"))
                    : Uni.createFrom().item(batch.size());
        });
        return evaluation;
    }

    @Test
    void aChangeThatFailsAloneWhilePostgresAnswersIsSkippedAndTheOthersAreStored() {
        BatchEvaluation batches =
                new BatchEvaluation(evaluation(), () -> Uni.createFrom().voidItem(), registry);

        int stored = batches.evaluate(List.of(GOOD_1, POISON, GOOD_3)).await().atMost(Duration.ofSeconds(10));

        assertThat(stored).isEqualTo(2);
        assertThat(calls)
                .containsExactly(
                        List.of("run-1", "run-2", "run-3"),
                        List.of("run-1", "run-2", "run-3"),
                        List.of("run-1", "run-2", "run-3"),
                        List.of("run-1"),
                        List.of("run-2"),
                        List.of("run-2"),
                        List.of("run-2"),
                        List.of("run-3"));
        assertThat(registry.get("labjournal.query.alerts.evaluation.skipped")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void whilePostgresDoesNotAnswerNothingIsSkippedAndTheBatchFails() {
        AtomicBoolean asked = new AtomicBoolean();
        BatchEvaluation batches = new BatchEvaluation(
                evaluation(),
                () -> {
                    asked.set(true);
                    return Uni.createFrom().failure(new IllegalStateException("connection refused"));
                },
                registry);

        assertThatThrownBy(() -> batches.evaluate(List.of(POISON)).await().atMost(Duration.ofSeconds(10)))
                .hasMessageContaining("connection refused");
        assertThat(asked).isTrue();
        assertThat(registry.get("labjournal.query.alerts.evaluation.skipped")
                        .counter()
                        .count())
                .isZero();
    }
}
