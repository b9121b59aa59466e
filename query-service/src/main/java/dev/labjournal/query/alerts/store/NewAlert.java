package dev.labjournal.query.alerts.store;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * An alert an evaluation decided to fire, before it is stored.
 *
 * @param ruleId the rule that fired
 * @param kind the rule's kind ({@code metric_regression}, {@code run_failed}, ...)
 * @param runId the run the alert is about
 * @param project the run's project, or null
 * @param document the alert as every channel carries it, without {@code id} (the store adds it)
 */
public record NewAlert(String ruleId, String kind, String runId, String project, JsonObject document) {
    public NewAlert {
        Objects.requireNonNull(ruleId, "ruleId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(document, "document");
    }

    /** The alert's stable id: the same rule, run and kind always give the same id. */
    public String id() {
        return AlertIds.of(ruleId, runId, kind);
    }
}
