package dev.labjournal.query.search.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.common.rest.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch._types.FieldValue;

/**
 * An opaque cursor: the sort values of the last hit of a page (for search_after), the search it belongs to (a digest
 * of its text, filter and order, so that a token is never applied to another search) and, for relevance-ordered
 * searches, the point in time the pages are read from.
 *
 * <p>It carries no secret and needs no signature: the tenant filter is added to every request on the server, so a
 * forged token can only page through the caller's own runs, and a point-in-time id is only a view of the index, not
 * of a query.
 *
 * @param search the digest of the search ({@link SearchQuery#digest()})
 * @param pit the point in time, or null
 */
public record PageToken(String search, List<FieldValue> sortValues, String pit) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public PageToken {
        sortValues = List.copyOf(sortValues);
    }

    public String encode() {
        ObjectNode token = JSON.createObjectNode();
        token.put("q", search);
        ArrayNode array = token.putArray("after");
        for (FieldValue value : sortValues) {
            switch (value._kind()) {
                case Double -> array.add(value.doubleValue());
                case Long -> array.add(value.longValue());
                case Boolean -> array.add(value.booleanValue());
                case Null -> array.addNull();
                default -> array.add(value.stringValue());
            }
        }
        if (pit != null) {
            token.put("pit", pit);
        }
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(token.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses a token from a request; a token this server did not make, or made for another search (a different
     * {@code q}, {@code filter} or {@code sort}), is a 400.
     */
    public static PageToken decode(String token, String search) {
        PageToken decoded;
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (node == null
                    || !node.path("q").isTextual()
                    || !node.path("after").isArray()
                    || node.path("after").isEmpty()) {
                throw new IOException("not a page token");
            }
            List<FieldValue> values = new ArrayList<>();
            for (JsonNode value : node.get("after")) {
                values.add(fieldValue(value));
            }
            JsonNode pit = node.path("pit");
            decoded = new PageToken(node.get("q").textValue(), values, pit.isTextual() ? pit.textValue() : null);
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "invalid_page_token",
                    "page_token is not a token returned by this API",
                    Map.of("param", "page_token"));
        }
        if (!decoded.search().equals(search)) {
            throw ApiException.badRequest(
                    "invalid_page_token",
                    "page_token belongs to another search: pass the same q, filter and sort as for the first page",
                    Map.of("param", "page_token"));
        }
        return decoded;
    }

    private static FieldValue fieldValue(JsonNode value) throws IOException {
        if (value.isFloatingPointNumber()) {
            return FieldValue.of(value.doubleValue());
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return FieldValue.of(value.longValue());
        }
        if (value.isTextual()) {
            return FieldValue.of(value.textValue());
        }
        if (value.isBoolean()) {
            return FieldValue.of(value.booleanValue());
        }
        if (value.isNull()) {
            return FieldValue.NULL;
        }
        throw new IOException("unexpected value " + value);
    }
}
