package dev.labjournal.common.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** Request bodies read as JSON trees, for endpoints that validate member by member. */
public final class JsonBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBodies() {}

    /** The body as JSON, null when empty; malformed JSON is a 400 {@code invalid_json} with the parser's reason and place. */
    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(
                    "invalid_json",
                    "the body is not JSON: " + e.getOriginalMessage(),
                    Map.of(
                            "line",
                                    e.getLocation() == null
                                            ? 0
                                            : e.getLocation().getLineNr(),
                            "column",
                                    e.getLocation() == null
                                            ? 0
                                            : e.getLocation().getColumnNr()));
        }
    }
}
