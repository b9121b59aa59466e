package dev.labjournal.query.failures.rest;

import dev.labjournal.common.rest.ApiException;
import java.util.Map;

/** Checks a bounded integer query parameter: 400 with the parameter's name when it is out of bounds. */
final class Limits {

    private Limits() {}

    static int bounded(String param, Integer value, int fallback, int max) {
        int v = value == null ? fallback : value;
        if (v < 1 || v > max) {
            throw ApiException.badRequest(
                    "invalid_" + param, param + " must be between 1 and " + max, Map.of("param", param));
        }
        return v;
    }
}
