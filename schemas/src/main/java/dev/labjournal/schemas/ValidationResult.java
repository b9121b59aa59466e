package dev.labjournal.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The outcome of {@link EventValidator#validate(byte[])}, or of {@link DocumentValidator#validate(byte[])} for the
 * contract's other documents.
 *
 * @param event the parsed event (or document), or {@code null} when the bytes are not a JSON object (too large,
 *     malformed, or another JSON value); callers must not modify it
 * @param errors why the event is invalid, at most 20, empty when it is valid (unmodifiable)
 * @param unknownMembers the top-level members of {@code data} that the schema of the event's type does not define, in
 *     document order (unmodifiable); they do not make the event invalid. Empty when there are none, when the type is
 *     unknown or when {@code data} is not an object
 */
public record ValidationResult(JsonNode event, List<ValidationError> errors, List<UnknownMember> unknownMembers) {
    /** Copies {@code errors} and {@code unknownMembers} into unmodifiable lists. */
    public ValidationResult {
        errors = List.copyOf(errors);
        unknownMembers = List.copyOf(unknownMembers);
    }

    /** A result without unknown members, for documents that have none to report (or could not be read). */
    public ValidationResult(JsonNode event, List<ValidationError> errors) {
        this(event, errors, List.of());
    }

    /** @return true when there are no errors (unknown members are not errors) */
    public boolean isValid() {
        return errors.isEmpty();
    }
}
