package dev.labjournal.schemas;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

/** Short, safe renderings of user-supplied values for error reasons. */
final class Snippets {
    private static final int MAX_CHARS = 80;

    private Snippets() {}

    /** @return {@code text} as a JSON string literal, cut to 80 characters with its full length noted */
    static String quote(String text) {
        if (text.length() <= MAX_CHARS) {
            return '"' + escape(text) + '"';
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return '"' + escape(text.substring(0, end)) + "…\" (" + text.length() + " characters)";
    }

    /** @return a rendering of a scalar value ({@code "nan"}, {@code -1}, {@code true}), or its JSON type otherwise */
    static String describe(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "nothing";
        }
        if (value.isTextual()) {
            return quote(value.textValue());
        }
        if (value.isValueNode()) {
            return value.toString();
        }
        return value.isArray() ? "an array" : "an object";
    }

    private static String escape(String text) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(text));
    }
}
