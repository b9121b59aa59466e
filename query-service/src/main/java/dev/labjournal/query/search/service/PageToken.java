package dev.labjournal.query.search.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.labjournal.common.rest.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.opensearch.client.opensearch._types.FieldValue;

/** An opaque cursor: the sort values of the last hit of a page, for search_after. */
public record PageToken(List<FieldValue> sortValues) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static PageToken of(List<FieldValue> sortValues) {
        return new PageToken(sortValues);
    }

    public String encode() {
        ArrayNode array = JSON.createArrayNode();
        for (FieldValue value : sortValues) {
            if (value.isDouble()) {
                array.add(value.doubleValue());
            } else if (value.isLong()) {
                array.add(value.longValue());
            } else {
                array.add(value.stringValue());
            }
        }
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(array.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a token from a request; a token this server did not make is a 400. */
    public static PageToken decode(String token) {
        try {
            JsonNode array = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (array == null || !array.isArray() || array.isEmpty()) {
                throw new IOException("not a non-empty array");
            }
            List<FieldValue> values = new ArrayList<>();
            for (JsonNode value : array) {
                if (value.isFloatingPointNumber()) {
                    values.add(FieldValue.of(value.doubleValue()));
                } else if (value.isIntegralNumber()) {
                    values.add(FieldValue.of(value.longValue()));
                } else if (value.isTextual()) {
                    values.add(FieldValue.of(value.textValue()));
                } else {
                    throw new IOException("unexpected value " + value);
                }
            }
            return new PageToken(values);
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_page_token", "page_token is not a token returned by this API", null);
        }
    }

    List<FieldValue> toFieldValues() {
        return sortValues;
    }
}
