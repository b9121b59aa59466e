package dev.labjournal.schemas;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Parses event bytes into a JSON object, strictly: UTF-8 only, no duplicate keys, nesting at most {@value
 * #MAX_NESTING_DEPTH} levels, nothing after the value. The same rules serve the contract's other JSON documents
 * (the run-changes message); the errors then name that document instead of "the event".
 */
final class EventParser {
    static final int MAX_NESTING_DEPTH = 64;
    private static final Pattern SOURCE_DETAIL = Pattern.compile("\\s*\\(?[^()]*\\[Source: [^\\]]*][^()]*\\)?");
    private static final Pattern JACKSON_HINT =
            Pattern.compile("\\s*\\(bound as `[^`]*`\\)|:? *(enable|not allowed as per) `[^`]*`( to allow)?");

    /** The outcome of a parse: exactly one of {@code event} and {@code error} is non-null. */
    record Parsed(JsonNode event, ValidationError error) {}

    private final String document;
    private final ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A parser of run events. */
    EventParser() {
        this("event");
    }

    /** @param document what the bytes are, for error sentences: {@code "event"}, {@code "run-changes message"} */
    EventParser(String document) {
        this.document = document;
    }

    Parsed parse(byte[] bytes) {
        String encodingProblem = Utf8Check.problem(bytes, document);
        if (encodingProblem != null) {
            return malformed(encodingProblem);
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(bytes);
        } catch (StreamConstraintsException e) {
            return malformed(
                    "The " + document + " nests objects and arrays deeper than " + MAX_NESTING_DEPTH + " levels.");
        } catch (JsonProcessingException e) {
            return malformed("Malformed JSON" + at(e.getLocation()) + ": " + clean(e.getOriginalMessage()) + ".");
        } catch (IOException e) {
            return malformed("Malformed JSON: " + clean(e.getMessage()) + ".");
        }
        if (tree == null || tree.isMissingNode()) {
            return malformed("The " + document + " is empty; expected a JSON object.");
        }
        if (!tree.isObject()) {
            return malformed("The " + document + " must be a JSON object, but it is " + article(tree) + ".");
        }
        return new Parsed(tree, null);
    }

    private static Parsed malformed(String reason) {
        return new Parsed(null, new ValidationError(ValidationError.MALFORMED_JSON, JsonPaths.ROOT, reason));
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private String clean(String message) {
        String oneLine = message == null ? "unreadable input" : message.replaceAll("\\s+", " ");
        String text = JACKSON_HINT
                .matcher(SOURCE_DETAIL.matcher(oneLine).replaceAll(""))
                .replaceAll("")
                .trim();
        if (text.startsWith("Trailing token")) {
            return "unexpected content after the JSON object; the " + document + " must be exactly one JSON object";
        }
        if (text.startsWith("Non-standard token")) {
            text += "; write NaN and infinities as the strings \"NaN\", \"Infinity\" and \"-Infinity\"";
        }
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static String article(JsonNode tree) {
        return switch (tree.getNodeType()) {
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            default -> "null";
        };
    }
}
