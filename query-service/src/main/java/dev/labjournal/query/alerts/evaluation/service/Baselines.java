package dev.labjournal.query.alerts.evaluation.service;

import dev.labjournal.query.alerts.AlertsConfig;
import dev.labjournal.query.alerts.evaluation.repository.BaselineReader;
import dev.labjournal.query.alerts.evaluation.repository.BaselineReader.Candidate;
import dev.labjournal.query.alerts.evaluation.repository.BaselineReader.Order;
import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.AlertRule.Baseline;
import dev.labjournal.query.alerts.rules.AlertRule.MetricCheck;
import dev.labjournal.query.runs.Run;
import dev.labjournal.query.runs.repository.RunReader;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline of a metric rule for a judged run: from the succeeded runs of the rule's project and filter, other than
 * the judged run, that ended before {@code endedBefore} ({@link BaselineReader}): {@code best} by the goal,
 * {@code previous} the newest, {@code mean_of_last} the mean of the newest n (or of as many as there are), a pinned
 * {@code run}, or a fixed {@code threshold}. With a filter, candidates are read in pages best or newest first and
 * checked against it in memory, up to {@link AlertsConfig#maxBaselineCandidates()}.
 */
@ApplicationScoped
public class Baselines {

    private static final int PAGE = 100;

    private final BaselineReader reader;
    private final RunReader runs;
    private final AlertsConfig config;

    public Baselines(BaselineReader reader, RunReader runs, AlertsConfig config) {
        this.reader = reader;
        this.runs = runs;
        this.config = config;
    }

    /**
     * A baseline value and the runs it comes from (none for a threshold).
     *
     * @param runIds the baseline runs, best or newest first
     * @param values their last values, in the same order
     */
    public record Found(double value, List<String> runIds, List<Double> values) {}

    /** The baseline, or null when there is none yet. */
    public Uni<Found> of(SqlConnection conn, AlertRule rule, Run judged, OffsetDateTime endedBefore) {
        MetricCheck check = rule.check();
        Baseline baseline = check.baseline();
        return switch (baseline.type()) {
            case THRESHOLD -> Uni.createFrom().item(new Found(baseline.value(), List.of(), List.of()));
            case RUN ->
                baseline.runId().equals(judged.runId())
                        ? Uni.createFrom().nullItem()
                        : reader.pinned(conn, baseline.runId(), check.metric())
                                .map(c -> c == null ? null : found(List.of(c)));
            case BEST ->
                candidates(conn, rule, judged, endedBefore, Order.BEST, 1).map(Baselines::foundOrNull);
            case PREVIOUS ->
                candidates(conn, rule, judged, endedBefore, Order.NEWEST, 1).map(Baselines::foundOrNull);
            case MEAN_OF_LAST ->
                candidates(conn, rule, judged, endedBefore, Order.NEWEST, baseline.n())
                        .map(Baselines::foundOrNull);
        };
    }

    private static Found foundOrNull(List<Candidate> candidates) {
        return candidates.isEmpty() ? null : found(candidates);
    }

    private static Found found(List<Candidate> candidates) {
        double sum = 0;
        for (Candidate c : candidates) {
            sum += c.value();
        }
        return new Found(
                sum / candidates.size(),
                candidates.stream().map(Candidate::runId).toList(),
                candidates.stream().map(Candidate::value).toList());
    }

    private Uni<List<Candidate>> candidates(
            SqlConnection conn, AlertRule rule, Run judged, OffsetDateTime endedBefore, Order order, int wanted) {
        if (rule.selector() == null) {
            return page(conn, rule, judged, endedBefore, order, wanted, 0);
        }
        return filtered(conn, rule, judged, endedBefore, order, wanted, 0, new ArrayList<>());
    }

    private Uni<List<Candidate>> filtered(
            SqlConnection conn,
            AlertRule rule,
            Run judged,
            OffsetDateTime endedBefore,
            Order order,
            int wanted,
            int offset,
            List<Candidate> kept) {
        if (offset >= config.maxBaselineCandidates()) {
            return Uni.createFrom().item(kept);
        }
        return page(conn, rule, judged, endedBefore, order, PAGE, offset).chain(page -> {
            if (page.isEmpty()) {
                return Uni.createFrom().item(kept);
            }
            return runs.load(conn, page.stream().map(Candidate::runId).toList()).chain(loaded -> {
                Map<String, Run> byId = new HashMap<>();
                loaded.values().forEach(run -> byId.put(run.runId(), run));
                for (Candidate c : page) {
                    Run run = byId.get(c.runId());
                    if (run != null && FilterMatch.matches(rule.selector(), run)) {
                        kept.add(c);
                        if (kept.size() == wanted) {
                            return Uni.createFrom().item(kept);
                        }
                    }
                }
                if (page.size() < PAGE) {
                    return Uni.createFrom().item(kept);
                }
                return filtered(conn, rule, judged, endedBefore, order, wanted, offset + PAGE, kept);
            });
        });
    }

    private Uni<List<Candidate>> page(
            SqlConnection conn,
            AlertRule rule,
            Run judged,
            OffsetDateTime endedBefore,
            Order order,
            int limit,
            int offset) {
        return reader.candidates(
                conn,
                rule.check().metric(),
                judged.runId(),
                rule.project(),
                endedBefore,
                order,
                rule.check().goal(),
                limit,
                offset);
    }
}
