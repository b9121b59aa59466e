package dev.labjournal.query.metrics.rest;

import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.metrics.MetricsConfig;
import dev.labjournal.query.metrics.service.MetricHistoryService.StepRange;
import dev.labjournal.schemas.Limits;
import java.util.Map;

/** Parses and checks the query parameters of the history endpoints: every mistake is a 400 naming the parameter. */
final class HistoryParams {

    /** A run id as events carry it in {@code subject} (envelope.v1.json). */
    private HistoryParams() {}

    static String key(String key) {
        if (key == null || key.isEmpty() || key.length() > Limits.MAX_KEY_LENGTH) {
            throw invalid("key", "the metric key must have 1 to " + Limits.MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

    /** max_points: null when absent; else 2 to the configured maximum. */
    static Integer maxPoints(String text, MetricsConfig config) {
        if (text == null) {
            return null;
        }
        long value = integer("max_points", text);
        if (value < 2 || value > config.maxPoints()) {
            throw invalid("max_points", "max_points must be between 2 and " + config.maxPoints() + ", not " + text);
        }
        return (int) value;
    }

    static int limit(String text, MetricsConfig config) {
        if (text == null) {
            return config.defaultLimit();
        }
        long value = integer("limit", text);
        if (value < 1 || value > config.maxLimit()) {
            throw ApiException.badRequest(
                    "invalid_limit",
                    "limit must be between 1 and " + config.maxLimit() + ", not " + text,
                    Map.of("param", "limit"));
        }
        return (int) value;
    }

    static StepRange range(String start, String end) {
        long from = start == null ? 0 : step("start_step", start);
        long to = end == null ? Long.MAX_VALUE : step("end_step", end);
        if (from > to) {
            throw invalid("end_step", "end_step (" + to + ") is below start_step (" + from + ")");
        }
        return new StepRange(from, to);
    }

    static ApiException invalid(String param, String message) {
        return ApiException.badRequest("invalid_parameter", message, Map.of("param", param));
    }

    private static long step(String param, String text) {
        long value = integer(param, text);
        if (value < 0) {
            throw invalid(param, param + " must be a step, 0 or more, not " + text);
        }
        return value;
    }

    private static long integer(String param, String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw invalid(param, param + " must be an integer, not '" + snippet(text) + "'");
        }
    }

    private static String snippet(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
