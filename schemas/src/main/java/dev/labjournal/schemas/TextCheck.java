package dev.labjournal.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.PathType;
import java.util.List;
import java.util.Map;

/**
 * Finds strings (member names and values) that JSON can carry but Lab Journal cannot store: the NUL character
 * (U+0000, written {@code \u0000}), which PostgreSQL rejects in text, and unpaired UTF-16 surrogates (such as a lone
 * {@code \ud800}), which are not Unicode text.
 */
final class TextCheck {
    private TextCheck() {}

    /** Adds an error for each bad string in {@code event}, until {@code errors} holds {@code limit} entries. */
    static void check(JsonNode event, List<ValidationError> errors, int limit) {
        check(event, new JsonNodePath(PathType.JSON_PATH), errors, limit);
    }

    private static void check(JsonNode node, JsonNodePath path, List<ValidationError> errors, int limit) {
        if (errors.size() >= limit) {
            return;
        }
        if (node.isTextual()) {
            String problem = problem(node.textValue());
            if (problem != null) {
                errors.add(error(path, "The string " + problem + "."));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path.append(i), errors, limit);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                String problem = problem(field.getKey());
                if (problem != null && errors.size() < limit) {
                    errors.add(
                            error(path, "The property name " + Snippets.quote(field.getKey()) + " " + problem + "."));
                }
                check(field.getValue(), path.append(field.getKey()), errors, limit);
            }
        }
    }

    private static String problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u0000') {
                return "contains the NUL character (U+0000) at index " + i + ", which cannot be stored";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format(
                        "contains an unpaired UTF-16 surrogate (U+%04X) at index %d, which is not valid Unicode",
                        (int) c, i);
            }
        }
        return null;
    }

    private static ValidationError error(JsonNodePath path, String reason) {
        return new ValidationError(ValidationError.SCHEMA_VIOLATION, JsonPaths.of(path), reason);
    }
}
