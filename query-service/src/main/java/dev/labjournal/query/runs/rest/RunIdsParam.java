package dev.labjournal.query.runs.rest;

import dev.labjournal.common.rest.ApiException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code run_ids} query parameter of every endpoint that reads several runs at once (compare, bulk metric
 * history): a comma-separated list of run ids; blanks around an id and empty items (a trailing comma) are ignored,
 * an id given twice counts once, the first order is kept. Every refusal is a 400 {@code invalid_run_ids} naming the
 * param.
 */
public final class RunIdsParam {

    /** A run id as the event envelope defines it (envelope.v1.json, {@code subject}). */
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final String PARAM = "run_ids";

    private RunIdsParam() {}

    /** The distinct run ids of {@code text}, 1 to {@code max} of them. */
    public static List<String> parse(String text, int max) {
        Set<String> ids = new LinkedHashSet<>();
        if (text != null) {
            for (String item : text.split(",")) {
                String id = item.strip();
                if (id.isEmpty()) {
                    continue;
                }
                if (!RUN_ID.matcher(id).matches()) {
                    throw invalid(
                            "'" + snippet(id) + "' is not a run id (1 to 128 letters, digits, '.', '_' and '-',"
                                    + " starting with a letter or digit)",
                            Map.of("param", PARAM));
                }
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            throw invalid(
                    "run_ids must name at least one run: a comma-separated list of run ids", Map.of("param", PARAM));
        }
        if (ids.size() > max) {
            throw invalid(
                    "run_ids names " + ids.size() + " distinct runs; this request takes at most " + max,
                    Map.of("param", PARAM, "count", ids.size(), "max", max));
        }
        return List.copyOf(ids);
    }

    private static ApiException invalid(String message, Map<String, Object> details) {
        return ApiException.badRequest("invalid_run_ids", message, details);
    }

    private static String snippet(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
