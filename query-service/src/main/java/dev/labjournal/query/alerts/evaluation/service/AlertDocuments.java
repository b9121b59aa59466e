package dev.labjournal.query.alerts.evaluation.service;

import dev.labjournal.query.alerts.evaluation.repository.EvaluationReader.Duplicate;
import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.store.NewAlert;
import dev.labjournal.query.runs.Run;
import dev.labjournal.query.runs.repository.MetricValues;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert document, the same on every channel: rule, kind, run, the metric comparison, the time it fired and links
 * to the run and to its comparison with the baseline runs; per kind the failure or the duplicates. Members that do not
 * apply are null; NaN and infinities are the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}. The
 * tenant is never in it.
 */
public final class AlertDocuments {

    private AlertDocuments() {}

    /** A metric regression of {@code run} at {@code step} against the baseline of {@code baselineRunIds}. */
    public static NewAlert regression(
            AlertRule rule, Run run, Regression regression, List<String> baselineRunIds, long step, Instant time) {
        JsonObject doc = base(rule, run, time, baselineRunIds);
        doc.put("metric", rule.check().metric())
                .put("observed", MetricValues.toJson(regression.observed()))
                .put("baseline", MetricValues.toJson(regression.baseline()))
                .put("baseline_run_ids", new JsonArray(new ArrayList<>(baselineRunIds)))
                .put("delta", MetricValues.toJson(regression.delta()))
                .put("relative_delta", MetricValues.toJson(regression.relativeDelta()))
                .put("step", step);
        return alert(rule, run, doc);
    }

    /** A failure of {@code run} (run_failed, new_failure_group). */
    public static NewAlert failure(AlertRule rule, Run run, String group, Instant time) {
        JsonObject doc = base(rule, run, time, List.of());
        Run.Failure failure = run.failure();
        doc.put(
                "failure",
                new JsonObject()
                        .put("type", failure == null ? null : failure.type())
                        .put("message", failure == null ? null : failure.message())
                        .put("group", group));
        return alert(rule, run, doc);
    }

    /** A lost run. */
    public static NewAlert lost(AlertRule rule, Run run, Instant time) {
        return alert(rule, run, base(rule, run, time, List.of()));
    }

    /** A run that repeats earlier ones, with how they ended. */
    public static NewAlert duplicate(AlertRule rule, Run run, List<Duplicate> duplicates, Instant time) {
        JsonObject doc =
                base(rule, run, time, duplicates.stream().map(Duplicate::runId).toList());
        JsonArray list = new JsonArray();
        for (Duplicate d : duplicates) {
            list.add(new JsonObject()
                    .put("run_id", d.runId())
                    .put("status", d.status())
                    .put("failure_type", d.failureType()));
        }
        doc.put("duplicates", list);
        return alert(rule, run, doc);
    }

    private static NewAlert alert(AlertRule rule, Run run, JsonObject doc) {
        return new NewAlert(rule.id(), rule.kind().wireName(), run.runId(), run.project(), doc);
    }

    /** Every member, in the documented order, null where it does not apply. */
    private static JsonObject base(AlertRule rule, Run run, Instant time, List<String> comparedRunIds) {
        List<String> compared = new ArrayList<>();
        compared.add(run.runId());
        compared.addAll(comparedRunIds);
        String runIds = String.join(
                ",",
                compared.stream()
                        .map(id -> URLEncoder.encode(id, StandardCharsets.UTF_8))
                        .toList());
        return new JsonObject()
                .put("rule_id", rule.id())
                .put("rule_name", rule.name())
                .put("kind", rule.kind().wireName())
                .put("project", run.project())
                .put("run_id", run.runId())
                .put("run_name", run.name())
                .putNull("metric")
                .putNull("observed")
                .putNull("baseline")
                .putNull("baseline_run_ids")
                .putNull("delta")
                .putNull("relative_delta")
                .putNull("step")
                .put("time", time.toString())
                .put(
                        "links",
                        new JsonObject()
                                .put("run", "/api/v1/runs/" + URLEncoder.encode(run.runId(), StandardCharsets.UTF_8))
                                .put("compare", "/api/v1/compare?run_ids=" + runIds))
                .putNull("failure")
                .putNull("duplicates");
    }
}
