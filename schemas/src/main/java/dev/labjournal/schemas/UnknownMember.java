package dev.labjournal.schemas;

import java.util.Objects;

/**
 * A top-level member of an event's {@code data} that the schema of its type does not define, typically an optional
 * field added by a newer client. Readers are tolerant (D3): such a member is accepted and kept, never a reason to
 * dead-letter the event, and reported so that the platform can flag it.
 *
 * @param name the member name as sent, for example {@code gpu_count}
 * @param path its JSONPath, for example {@code $.data.gpu_count} or {@code $.data['gpu count']}
 */
public record UnknownMember(String name, String path) {
    /** Checks that no component is null. */
    public UnknownMember {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
    }

    /** @return the unknown member {@code name} of {@code data} */
    static UnknownMember ofData(String name) {
        return new UnknownMember(name, JsonPaths.child("$.data", name));
    }
}
