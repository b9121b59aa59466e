package dev.labjournal.query.runs.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.common.rest.JsonBodies;
import dev.labjournal.common.runs.Fingerprint;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A run about to start, as far as its fingerprint goes: project, source commit, dataset digests and params (the
 * inputs of {@link Fingerprint}, with the limits of the run.started schema).
 */
public record PlannedRun(String project, String commit, List<String> datasetDigests, Map<String, String> params) {

    private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_PARAMS = 1000;
    private static final int MAX_KEY = 250;
    private static final int MAX_VALUE = 6000;
    private static final int MAX_DATASETS = 1000;
    private static final int MAX_TEXT = 1024;

    public String fingerprint() {
        return Fingerprint.of(project, commit, datasetDigests, params);
    }

    /** Parses the body; anything off is a 400 {@code invalid_request} naming the member and why. */
    public static PlannedRun parse(String body) {
        JsonNode root = JsonBodies.parse(body);
        if (root == null || !root.isObject()) {
            throw invalid("$", "expected a JSON object with project, commit, dataset_digests and params");
        }
        JsonNode project = root.get("project");
        if (project == null
                || !project.isTextual()
                || !PROJECT.matcher(project.asText()).matches()) {
            throw invalid(
                    "project",
                    "expected a project name: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return new PlannedRun(
                project.asText(),
                commit(root.get("commit")),
                digests(root.get("dataset_digests")),
                params(root.get("params")));
    }

    private static String commit(JsonNode commit) {
        if (commit == null || commit.isNull()) {
            return null;
        }
        if (!commit.isTextual() || commit.asText().isEmpty() || commit.asText().length() > MAX_TEXT) {
            throw invalid("commit", "expected null or a string of 1 to " + MAX_TEXT + " characters");
        }
        return commit.asText();
    }

    private static List<String> digests(JsonNode digests) {
        List<String> found = new ArrayList<>();
        if (digests == null || digests.isNull()) {
            return found;
        }
        if (!digests.isArray() || digests.size() > MAX_DATASETS) {
            throw invalid("dataset_digests", "expected an array of at most " + MAX_DATASETS + " strings");
        }
        for (int i = 0; i < digests.size(); i++) {
            JsonNode digest = digests.get(i);
            if (!digest.isTextual()
                    || digest.asText().isEmpty()
                    || digest.asText().length() > MAX_TEXT) {
                throw invalid("dataset_digests[" + i + "]", "expected a string of 1 to " + MAX_TEXT + " characters");
            }
            found.add(digest.asText());
        }
        return found;
    }

    private static Map<String, String> params(JsonNode params) {
        Map<String, String> found = new LinkedHashMap<>();
        if (params == null || params.isNull()) {
            return found;
        }
        if (!params.isObject() || params.size() > MAX_PARAMS) {
            throw invalid("params", "expected an object of at most " + MAX_PARAMS + " string values");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> param = fields.next();
            String key = param.getKey();
            if (key.isEmpty() || key.length() > MAX_KEY) {
                throw invalid("params", "a key must have 1 to " + MAX_KEY + " characters");
            }
            JsonNode value = param.getValue();
            if (!value.isTextual() || value.asText().length() > MAX_VALUE) {
                throw invalid(
                        "params." + key,
                        "expected a string of at most " + MAX_VALUE
                                + " characters (params are strings, as in run.started)");
            }
            found.put(key, value.asText());
        }
        return found;
    }

    private static ApiException invalid(String path, String reason) {
        return ApiException.badRequest("invalid_request", path + ": " + reason, Map.of("path", path, "reason", reason));
    }
}
