package dev.labjournal.query.alerts.evaluation.service;

import dev.labjournal.query.alerts.evaluation.repository.BaselineReader;
import dev.labjournal.query.alerts.evaluation.repository.EvaluationReader;
import dev.labjournal.query.alerts.evaluation.repository.EvaluationReader.Fired;
import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.AlertRule.Evaluate;
import dev.labjournal.query.alerts.rules.AlertRule.Kind;
import dev.labjournal.query.alerts.rules.AlertRule.MetricCheck;
import dev.labjournal.query.alerts.rules.repository.RuleRepository;
import dev.labjournal.query.alerts.store.AlertStore;
import dev.labjournal.query.alerts.store.NewAlert;
import dev.labjournal.query.runs.Run;
import dev.labjournal.query.runs.repository.RunReader;
import dev.labjournal.query.runs.repository.RunReader.RunRef;
import dev.labjournal.query.tenancy.TenantScope;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Evaluates the run changes of a batch against the live rules of their tenants and stores the alerts they fire, one
 * transaction per tenant ({@link TenantScope#read}): the tenant's rules as they are now (a new rule applies to the
 * next batch), the changed runs as PostgreSQL has them, each rule whose project and filter ({@link FilterMatch})
 * select the run, and each rule's kind. An alert that exists already is not evaluated again; {@link AlertStore}
 * keeps one per rule, run and kind whatever is replayed.
 */
@ApplicationScoped
public class AlertEvaluation {

    private final Pool pool;
    private final RuleRepository rules;
    private final RunReader runs;
    private final EvaluationReader reader;
    private final BaselineReader baselineReader;
    private final Baselines baselines;
    private final AlertStore store;

    public AlertEvaluation(
            Pool pool,
            RuleRepository rules,
            RunReader runs,
            EvaluationReader reader,
            BaselineReader baselineReader,
            Baselines baselines,
            AlertStore store) {
        this.pool = pool;
        this.rules = rules;
        this.runs = runs;
        this.reader = reader;
        this.baselineReader = baselineReader;
        this.baselines = baselines;
        this.store = store;
    }

    /**
     * Evaluates the changes, one per run (merged by the caller), tenant by tenant.
     *
     * @return how many alerts were stored
     */
    public Uni<Integer> evaluate(List<RunChange> changes) {
        Map<String, List<RunChange>> byTenant = new LinkedHashMap<>();
        changes.forEach(c ->
                byTenant.computeIfAbsent(c.tenant(), t -> new ArrayList<>()).add(c));
        return Multi.createFrom()
                .iterable(byTenant.entrySet())
                .onItem()
                .transformToUniAndConcatenate(e ->
                        new TenantScope(e.getKey()).read(pool, conn -> evaluateTenant(conn, e.getValue())))
                .collect()
                .asList()
                .map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    /**
     * Reads only the runs whose change may fire one of the tenant's rules ({@link Relevance}), and the failed ones:
     * their failure groups are recorded as seen whether or not a rule asks, so that a rule created later knows them.
     */
    private Uni<Integer> evaluateTenant(SqlConnection conn, List<RunChange> all) {
        return rules.live(conn).chain(live -> {
            List<RunChange> changes = all.stream()
                    .filter(change -> Relevance.worthReading(change, live))
                    .toList();
            return changes.isEmpty() ? Uni.createFrom().item(0) : evaluateTenant(conn, changes, live);
        });
    }

    private Uni<Integer> evaluateTenant(SqlConnection conn, List<RunChange> changes, List<AlertRule> live) {
        List<String> ids = changes.stream().map(RunChange::runId).toList();
        return runs.load(conn, ids)
                .chain(loaded -> reader.fired(conn, ids)
                        .chain(fired -> reader.created(conn, ids).chain(created -> {
                            List<Supplier<Uni<Integer>>> work = new ArrayList<>();
                            for (RunChange change : changes) {
                                Run run = loaded.get(new RunRef(change.tenant(), change.runId()));
                                if (run != null) {
                                    work.add(() ->
                                            evaluateRun(conn, change, run, live, fired, created.get(run.runId())));
                                }
                            }
                            return Multi.createFrom()
                                    .iterable(work)
                                    .onItem()
                                    .transformToUniAndConcatenate(Supplier::get)
                                    .collect()
                                    .asList()
                                    .map(counts -> counts.stream()
                                            .mapToInt(Integer::intValue)
                                            .sum());
                        })));
    }

    /** Every rule of the tenant against one changed run: how many alerts were stored. */
    private Uni<Integer> evaluateRun(
            SqlConnection conn,
            RunChange change,
            Run run,
            List<AlertRule> live,
            Set<Fired> fired,
            OffsetDateTime runCreated) {
        String group = change.failed() ? FilterMatch.failureGroup(run) : null;
        Uni<String> firstOfGroup =
                group == null ? Uni.createFrom().nullItem() : reader.firstOfGroup(conn, group, run.runId());
        return firstOfGroup.chain(first -> {
            List<Supplier<Uni<Optional<NewAlert>>>> work = new ArrayList<>();
            Instant now = Instant.now();
            for (AlertRule rule : live) {
                if (fired.contains(new Fired(rule.id(), run.runId(), rule.kind().wireName())) || !selects(rule, run)) {
                    continue;
                }
                work.add(() -> judge(conn, rule, change, run, group, run.runId().equals(first), runCreated, now)
                        .chain(alert -> alert.isEmpty()
                                ? Uni.createFrom().item(Optional.<NewAlert>empty())
                                : store.record(conn, alert.get()).map(stored -> stored.map(s -> alert.get()))));
            }
            return Multi.createFrom()
                    .iterable(work)
                    .onItem()
                    .transformToUniAndConcatenate(Supplier::get)
                    .collect()
                    .asList()
                    .map(results ->
                            (int) results.stream().filter(Optional::isPresent).count());
        });
    }

    static boolean selects(AlertRule rule, Run run) {
        return (rule.project() == null || rule.project().equals(run.project()))
                && (rule.selector() == null || FilterMatch.matches(rule.selector(), run));
    }

    private Uni<Optional<NewAlert>> judge(
            SqlConnection conn,
            AlertRule rule,
            RunChange change,
            Run run,
            String group,
            boolean firstOfGroup,
            OffsetDateTime runCreated,
            Instant now) {
        Kind kind = rule.kind();
        return switch (kind) {
            case RUN_FAILED -> fired(change.failed(), () -> AlertDocuments.failure(rule, run, group, now));
            case NEW_FAILURE_GROUP ->
                fired(change.failed() && firstOfGroup, () -> AlertDocuments.failure(rule, run, group, now));
            case RUN_LOST -> fired("lost".equals(run.status()), () -> AlertDocuments.lost(rule, run, now));
            case DUPLICATE_RUN -> duplicate(conn, rule, run, runCreated, now);
            case METRIC_REGRESSION ->
                rule.check().evaluate() == Evaluate.LIVE
                        ? live(conn, rule, change, run, now)
                        : onFinish(conn, rule, change, run, now);
        };
    }

    private static Uni<Optional<NewAlert>> fired(boolean condition, Supplier<NewAlert> alert) {
        return Uni.createFrom().item(condition ? Optional.of(alert.get()) : Optional.empty());
    }

    /** A started run repeats earlier runs; only runs created after the rule are judged (a rule is not retroactive). */
    private Uni<Optional<NewAlert>> duplicate(
            SqlConnection conn, AlertRule rule, Run run, OffsetDateTime runCreated, Instant now) {
        if (!run.started()
                || run.fingerprint() == null
                || runCreated == null
                || runCreated.isBefore(rule.createdAt())) {
            return Uni.createFrom().item(Optional.empty());
        }
        return reader.earlierDuplicates(conn, run.runId())
                .map(found -> found.isEmpty()
                        ? Optional.empty()
                        : Optional.of(AlertDocuments.duplicate(rule, run, found, now)));
    }

    /** The change finished the run: its last value against the baseline of runs that ended before it. */
    private Uni<Optional<NewAlert>> onFinish(
            SqlConnection conn, AlertRule rule, RunChange change, Run run, Instant now) {
        MetricCheck check = rule.check();
        Run.MetricSummary summary = run.metrics().stream()
                .filter(m -> m.key().equals(check.metric()))
                .findFirst()
                .orElse(null);
        if (!change.finished() || summary == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        double observed = number(summary.last());
        return baselines.of(conn, rule, run, run.endTime()).map(baseline -> {
            if (baseline == null) {
                return Optional.empty();
            }
            Regression regression = Regression.judge(observed, baseline.value(), check.goal(), check.tolerance());
            return regression.regressed()
                    ? Optional.of(AlertDocuments.regression(
                            rule, run, regression, baseline.runIds(), summary.lastStep(), now))
                    : Optional.empty();
        });
    }

    /**
     * Points arrived at or past min_step: the run's last value against the baseline runs' values at the same step
     * (the nearest earlier step of their curves). The baseline runs are those that ended before the run started.
     */
    private Uni<Optional<NewAlert>> live(SqlConnection conn, AlertRule rule, RunChange change, Run run, Instant now) {
        MetricCheck check = rule.check();
        MetricChange point = change.metrics().stream()
                .filter(m -> m.key().equals(check.metric()))
                .findFirst()
                .orElse(null);
        if (point == null || point.lastStep() < check.minStep()) {
            return Uni.createFrom().item(Optional.empty());
        }
        long step = point.lastStep();
        return baselines.of(conn, rule, run, run.startTime()).chain(baseline -> {
            if (baseline == null) {
                return Uni.createFrom().item(Optional.<NewAlert>empty());
            }
            Uni<Baselines.Found> atStep = baseline.runIds().isEmpty()
                    ? Uni.createFrom().item(baseline)
                    : baselineReader
                            .valuesAtStep(conn, baseline.runIds(), check.metric(), step)
                            .map(values -> {
                                List<String> ids = baseline.runIds().stream()
                                        .filter(values::containsKey)
                                        .toList();
                                if (ids.isEmpty()) {
                                    return null;
                                }
                                double sum = 0;
                                for (String id : ids) {
                                    sum += values.get(id);
                                }
                                return new Baselines.Found(
                                        sum / ids.size(),
                                        ids,
                                        ids.stream().map(values::get).toList());
                            });
            return atStep.map(found -> {
                if (found == null) {
                    return Optional.<NewAlert>empty();
                }
                Regression regression = Regression.judge(point.last(), found.value(), check.goal(), check.tolerance());
                return regression.regressed()
                        ? Optional.of(AlertDocuments.regression(rule, run, regression, found.runIds(), step, now))
                        : Optional.<NewAlert>empty();
            });
        });
    }

    /** A metric value as {@link Run.MetricSummary} carries it: a number, or "NaN", "Infinity", "-Infinity". */
    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.parseDouble(value.toString());
    }
}
