package dev.labjournal.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Turns networknt validation messages into {@link ValidationError}s: a JSONPath that points at the offending member
 * (for a missing or unexpected property, the property itself) and a sentence that says what is wrong, quoting the
 * offending value when it is short. The failed alternatives of one {@code anyOf} become a single error.
 */
final class SchemaErrors {
    private static final String ANY_OF = ".anyOf[";
    private static final Map<String, String> FORMATS = Map.of(
            "date-time", "RFC 3339 date-time with a time zone offset, such as 2025-01-31T14:03:22Z",
            "uri", "absolute URI (RFC 3986), such as https://example.com/schema.json",
            "uri-reference", "URI reference (RFC 3986), such as s3://bucket/path/file.pt; spaces must be %20");

    private SchemaErrors() {}

    /** Adds an error per message (one per failed {@code anyOf}) until {@code errors} holds {@code limit} entries. */
    static void addAll(Collection<ValidationMessage> messages, List<ValidationError> errors, int limit) {
        Map<String, List<ValidationMessage>> groups = new LinkedHashMap<>();
        int ungrouped = 0;
        for (ValidationMessage message : messages) {
            String evaluationPath = message.getEvaluationPath().toString();
            int anyOf = evaluationPath.indexOf(ANY_OF);
            String key = anyOf < 0
                    ? "#" + ungrouped++
                    : message.getInstanceLocation() + " " + evaluationPath.substring(0, anyOf);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(message);
        }
        for (List<ValidationMessage> group : groups.values()) {
            if (errors.size() >= limit) {
                return;
            }
            errors.add(group.size() == 1 ? from(group.get(0)) : fromAlternatives(group));
        }
    }

    private static ValidationError from(ValidationMessage message) {
        String path = JsonPaths.of(message.getInstanceLocation());
        String property = message.getProperty();
        String type = message.getType();
        boolean pointsAtProperty = ("required".equals(type) || "additionalProperties".equals(type))
                && property != null
                && property.length() <= Limits.MAX_KEY_LENGTH;
        return new ValidationError(
                ValidationError.SCHEMA_VIOLATION,
                pointsAtProperty ? JsonPaths.child(path, property) : path,
                reason(message, type, property));
    }

    private static ValidationError fromAlternatives(List<ValidationMessage> alternatives) {
        StringJoiner reasons = new StringJoiner("; or ", "Matches none of the allowed forms: ", ".");
        for (ValidationMessage alternative : alternatives) {
            String reason = reason(alternative, alternative.getType(), alternative.getProperty());
            String clause = reason.substring(0, reason.length() - 1);
            reasons.add(
                    Character.isUpperCase(clause.charAt(0)) && Character.isLowerCase(clause.charAt(1))
                            ? Character.toLowerCase(clause.charAt(0)) + clause.substring(1)
                            : clause);
        }
        return new ValidationError(
                ValidationError.SCHEMA_VIOLATION,
                JsonPaths.of(alternatives.get(0).getInstanceLocation()),
                reasons.toString());
    }

    private static String reason(ValidationMessage message, String type, String property) {
        Object[] args = message.getArguments();
        JsonNode value = message.getInstanceNode();
        return switch (type) {
            case "required" -> "Required property " + Snippets.quote(property) + " is missing.";
            case "additionalProperties" ->
                "Property " + Snippets.quote(property)
                        + " is not defined by the schema, and this object allows no other properties.";
            case "propertyNames" -> "Property name " + Snippets.quote(property) + " is invalid: it " + args[1] + ".";
            case "type" -> "Expected type " + alternatives(args[1]) + " but found " + args[0] + scalar(value) + ".";
            case "const" ->
                "The value must be " + Snippets.quote(String.valueOf(args[0])) + " but is " + Snippets.describe(value)
                        + ".";
            case "enum" ->
                Snippets.describe(value) + " is not one of the allowed values " + args[0] + " (case-sensitive).";
            case "pattern" -> Snippets.describe(value) + " does not match the pattern " + args[0] + ".";
            case "maxLength" ->
                "The string is " + length(value) + " characters long, more than the maximum of " + args[0] + ".";
            case "minLength" ->
                "The string is " + length(value) + " characters long, fewer than the minimum of " + args[0] + ".";
            case "maxItems" -> "The array has " + value.size() + " items, more than the maximum of " + args[0] + ".";
            case "minItems" -> "The array has " + value.size() + " items, fewer than the minimum of " + args[0] + ".";
            case "maxProperties" ->
                "The object has " + value.size() + " entries, more than the maximum of " + args[0] + ".";
            case "minProperties" ->
                "The object has " + value.size() + " entries, fewer than the minimum of " + args[0] + ".";
            case "minimum" -> Snippets.describe(value) + " is less than the minimum of " + args[0] + ".";
            case "maximum" -> Snippets.describe(value) + " is greater than the maximum of " + args[0] + ".";
            case "format" ->
                Snippets.describe(value) + " is not a valid "
                        + FORMATS.getOrDefault(String.valueOf(args[0]), String.valueOf(args[0])) + ".";
            default ->
                sentence(withoutPath(
                        message.getMessage(), message.getInstanceLocation().toString()));
        };
    }

    private static String alternatives(Object expected) {
        return String.valueOf(expected).replace("[", "").replace("]", "").replace(", ", " or ");
    }

    private static String scalar(JsonNode value) {
        return value != null && value.isValueNode() && !value.isNull() ? " " + Snippets.describe(value) : "";
    }

    private static int length(JsonNode value) {
        String text = value.asText();
        return text.codePointCount(0, text.length());
    }

    private static String withoutPath(String message, String path) {
        String prefix = path + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private static String sentence(String text) {
        if (text.isEmpty()) {
            return "Does not match the schema.";
        }
        String capitalised = Character.toUpperCase(text.charAt(0)) + text.substring(1);
        return capitalised.endsWith(".") ? capitalised : capitalised + ".";
    }
}
