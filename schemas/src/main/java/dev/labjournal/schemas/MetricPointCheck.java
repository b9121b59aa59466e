package dev.labjournal.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;

/**
 * The cheap way to validate a {@code run.metrics} event of thousands of points: the schema checks the event with only
 * its first point, and this class checks every point by hand. The hand check is deliberately narrower than the schema
 * (for instance, it only knows the common shapes of RFC 3339 times): when it is not sure, it answers "no", and the
 * caller validates the whole event with the schema, which then also explains what is wrong.
 */
final class MetricPointCheck {

    private static final int MAX_KEY_LENGTH = 250;
    private static final int MAX_TIME_LENGTH = 64;
    /** Real offsets run from -12:00 to +14:00; the schema's date-time format takes at most ±18:00. */
    private static final int MAX_OFFSET_HOURS = 14;

    private MetricPointCheck() {}

    /**
     * The event with {@code data.metrics} cut to its first point (all other members shared, not copied), or null when
     * the event does not have the shape this check knows.
     */
    static ObjectNode withFirstPointOnly(ObjectNode event) {
        JsonNode data = event.get("data");
        if (data == null || !data.isObject()) {
            return null;
        }
        JsonNode metrics = data.get("metrics");
        if (metrics == null || !metrics.isArray() || metrics.isEmpty() || metrics.size() > Limits.MAX_METRIC_POINTS) {
            return null;
        }
        ObjectNode shellData = event.objectNode();
        data.properties().forEach(e -> shellData.set(e.getKey(), e.getValue()));
        ArrayNode first = shellData.arrayNode(1).add(metrics.get(0));
        shellData.set("metrics", first);
        ObjectNode shell = event.objectNode();
        event.properties().forEach(e -> shell.set(e.getKey(), e.getKey().equals("data") ? shellData : e.getValue()));
        return shell;
    }

    /** Whether every point of {@code data.metrics} certainly satisfies the run.metrics schema. */
    static boolean allPointsValid(JsonNode event) {
        for (JsonNode point : event.get("data").get("metrics")) {
            if (!pointValid(point)) {
                return false;
            }
        }
        return true;
    }

    private static boolean pointValid(JsonNode point) {
        if (!point.isObject()) {
            return false;
        }
        boolean key = false;
        boolean value = false;
        boolean step = false;
        Iterator<Map.Entry<String, JsonNode>> fields = point.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode node = field.getValue();
            boolean ok = switch (field.getKey()) {
                case "key" -> key = keyValid(node);
                case "value" -> value = valueValid(node);
                case "step" -> step = stepValid(node);
                case "time" -> timeValid(node);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return key && value && step;
    }

    private static boolean keyValid(JsonNode node) {
        if (!node.isTextual()) {
            return false;
        }
        String key = node.textValue();
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '-'
                    || c == '.'
                    || c == ' '
                    || c == '/'
                    || c == ':';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueValid(JsonNode node) {
        if (node.isNumber()) {
            return true;
        }
        if (!node.isTextual()) {
            return false;
        }
        String text = node.textValue();
        return text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity");
    }

    private static boolean stepValid(JsonNode node) {
        return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0;
    }

    /**
     * Only {@code YYYY-MM-DDTHH:MM:SS[.fraction]} with {@code Z} or {@code ±HH:MM} up to 14:59, upper case, a real
     * calendar date from year 1000, hours to 23 and seconds to 59 (no leap second).
     */
    private static boolean timeValid(JsonNode node) {
        if (!node.isTextual()) {
            return false;
        }
        String t = node.textValue();
        int n = t.length();
        if (n < 20 || n > MAX_TIME_LENGTH) {
            return false;
        }
        if (!digits(t, 0, 4) || t.charAt(4) != '-' || !digits(t, 5, 7) || t.charAt(7) != '-' || !digits(t, 8, 10)) {
            return false;
        }
        if (t.charAt(10) != 'T' || !digits(t, 11, 13) || t.charAt(13) != ':' || !digits(t, 14, 16)) {
            return false;
        }
        if (t.charAt(16) != ':' || !digits(t, 17, 19)) {
            return false;
        }
        int year = number(t, 0, 4);
        if (year < 1000 || number(t, 11, 13) > 23 || number(t, 14, 16) > 59 || number(t, 17, 19) > 59) {
            return false;
        }
        try {
            LocalDate.of(year, number(t, 5, 7), number(t, 8, 10));
        } catch (DateTimeException e) {
            return false;
        }
        int i = 19;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            if (i == start || i - start > 9) {
                return false;
            }
        }
        if (i == n - 1) {
            return t.charAt(i) == 'Z';
        }
        return i == n - 6
                && (t.charAt(i) == '+' || t.charAt(i) == '-')
                && digits(t, i + 1, i + 3)
                && t.charAt(i + 3) == ':'
                && digits(t, i + 4, i + 6)
                && number(t, i + 1, i + 3) <= MAX_OFFSET_HOURS
                && number(t, i + 4, i + 6) <= 59;
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int number(String text, int from, int to) {
        return Integer.parseInt(text, from, to, 10);
    }
}
