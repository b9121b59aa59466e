package dev.labjournal.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The outcome of {@link EventValidator#validate(byte[])}.
 *
 * @param event the parsed event, or {@code null} when the bytes are not a JSON object (too large, malformed, or
 *     another JSON value); callers must not modify it
 * @param errors why the event is invalid, at most 20, empty when it is valid (unmodifiable)
 */
public record ValidationResult(JsonNode event, List<ValidationError> errors) {
    /** Copies {@code errors} into an unmodifiable list. */
    public ValidationResult {
        errors = List.copyOf(errors);
    }

    /** @return true when there are no errors */
    public boolean isValid() {
        return errors.isEmpty();
    }
}
