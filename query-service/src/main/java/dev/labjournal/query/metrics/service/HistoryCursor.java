package dev.labjournal.query.metrics.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.labjournal.common.rest.ApiException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;

/**
 * The opaque page token of a history read without max_points: a keyset on (step, time, value), the last point
 * returned, plus how many points equal to it the pages so far returned. Points are an append-only log without a
 * unique id (the same point sent again in a new event is a second point), so identical points are told apart by
 * counting them: the next page first returns the copies not returned yet, then the points after it.
 */
public record HistoryCursor(Sample last, long seen) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public String encode() {
        ArrayNode array = JSON.createArrayNode()
                .add(last.step())
                .add(last.time().toString())
                .add(Double.doubleToLongBits(last.value()))
                .add(seen);
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(array.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Parses a token from a request; a token this server did not make is a 400. */
    public static HistoryCursor decode(String token) {
        try {
            JsonNode array = JSON.readTree(Base64.getUrlDecoder().decode(token));
            if (array == null
                    || !array.isArray()
                    || array.size() != 4
                    || !array.get(0).canConvertToLong()
                    || !array.get(1).isTextual()
                    || !array.get(2).canConvertToLong()
                    || !array.get(3).canConvertToLong()
                    || array.get(3).longValue() < 1) {
                throw new IOException("not a history cursor");
            }
            Sample last = new Sample(
                    array.get(0).longValue(),
                    OffsetDateTime.parse(array.get(1).textValue()),
                    Double.longBitsToDouble(array.get(2).longValue()));
            return new HistoryCursor(last, array.get(3).longValue());
        } catch (IOException | IllegalArgumentException | DateTimeParseException e) {
            throw ApiException.badRequest(
                    "invalid_page_token",
                    "page_token is not a token returned by this API for a metric history",
                    Map.of("param", "page_token"));
        }
    }
}
