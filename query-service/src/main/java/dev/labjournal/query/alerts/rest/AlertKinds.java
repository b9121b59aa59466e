package dev.labjournal.query.alerts.rest;

import dev.labjournal.common.rest.ApiException;
import java.util.List;
import java.util.Map;

/** The alert kinds, as a {@code kind} query parameter names them. */
public final class AlertKinds {

    /** Every kind of alert. */
    public static final List<String> ALL =
            List.of("metric_regression", "run_failed", "new_failure_group", "duplicate_run", "run_lost");

    private AlertKinds() {}

    /** A {@code kind} filter: null for none, 400 {@code invalid_kind} for a kind that does not exist. */
    public static String filter(String kind) {
        if (kind == null || kind.isEmpty()) {
            return null;
        }
        if (!ALL.contains(kind)) {
            throw ApiException.badRequest(
                    "invalid_kind",
                    "kind must be one of " + String.join(", ", ALL) + ", not '" + kind + "'",
                    Map.of("param", "kind"));
        }
        return kind;
    }
}
