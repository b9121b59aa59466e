package dev.labjournal.query.alerts.evaluation.service;

import dev.labjournal.schemas.changes.RunChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Evaluates a batch of run changes so that one change that cannot be evaluated does not stop the alerts of every
 * later change: a batch that fails {@link #ATTEMPTS} times is evaluated change by change, and a change that fails
 * {@link #ATTEMPTS} times on its own while PostgreSQL answers is skipped with an ERROR line and the counter {@code
 * labjournal.query.alerts.evaluation.skipped}. While PostgreSQL does not answer, the batch fails (its caller retries
 * it until it answers), so an outage skips nothing.
 */
@ApplicationScoped
public class BatchEvaluation {

    static final int ATTEMPTS = 3;

    private static final Logger LOG = Logger.getLogger(BatchEvaluation.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(2);

    private final AlertEvaluation evaluation;
    private final Supplier<Uni<Void>> databaseAnswers;
    private final Counter skipped;

    @Inject
    public BatchEvaluation(AlertEvaluation evaluation, Pool pool, MeterRegistry registry) {
        this(evaluation, () -> pool.query("SELECT 1").execute().replaceWithVoid(), registry);
    }

    BatchEvaluation(AlertEvaluation evaluation, Supplier<Uni<Void>> databaseAnswers, MeterRegistry registry) {
        this.evaluation = evaluation;
        this.databaseAnswers = databaseAnswers;
        this.skipped = Counter.builder("labjournal.query.alerts.evaluation.skipped")
                .description("Run changes skipped by alert evaluation: they failed alone while PostgreSQL answered")
                .register(registry);
    }

    /** @return how many alerts were stored */
    public Uni<Integer> evaluate(List<RunChange> batch) {
        return attempts(batch)
                .onFailure()
                .recoverWithUni(e -> batch.size() == 1 ? alone(batch.get(0), e) : oneByOne(batch));
    }

    private Uni<Integer> attempts(List<RunChange> changes) {
        return Uni.createFrom()
                .deferred(() -> evaluation.evaluate(changes))
                .onFailure()
                .retry()
                .withBackOff(FIRST_PAUSE, LONGEST_PAUSE)
                .atMost(ATTEMPTS - 1);
    }

    /** Each change with attempts of its own, so that a passing failure of one is not taken for a bad change. */
    private Uni<Integer> oneByOne(List<RunChange> batch) {
        return Multi.createFrom()
                .iterable(batch)
                .onItem()
                .transformToUniAndConcatenate(
                        change -> attempts(List.of(change)).onFailure().recoverWithUni(e -> alone(change, e)))
                .collect()
                .asList()
                .map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    /** A change that failed on its own: skipped if PostgreSQL answers, else the failure stands. */
    private Uni<Integer> alone(RunChange change, Throwable failure) {
        return databaseAnswers.get().map(answered -> {
            skipped.increment();
            LOG.errorf(
                    failure,
                    "skipping the alert evaluation of run %s of tenant %s (version %d): it fails while PostgreSQL"
                            + " answers",
                    change.runId(),
                    change.tenant(),
                    change.version());
            return 0;
        });
    }
}
