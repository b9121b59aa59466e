package dev.labjournal.schemas;

import java.util.Objects;

/**
 * One reason an event was rejected.
 *
 * @param code one of {@code malformed_json}, {@code too_large}, {@code schema_violation}, {@code unknown_type},
 *     {@code tenant_mismatch}, {@code project_mismatch}
 * @param path JSONPath of the offending value, for example {@code $.data.metrics[3].value}; {@code $} for the whole
 *     event
 * @param reason a human sentence saying what is wrong and why
 */
public record ValidationError(String code, String path, String reason) {
    /** The bytes are not a single UTF-8 JSON object, or nest too deep, or repeat a key. */
    public static final String MALFORMED_JSON = "malformed_json";
    /** The event is larger than {@link Limits#MAX_EVENT_BYTES}. */
    public static final String TOO_LARGE = "too_large";
    /** The event does not match its JSON Schema (this includes the size limits of keys, values and batches). */
    public static final String SCHEMA_VIOLATION = "schema_violation";
    /** The {@code type} attribute is not one of {@link EventTypes#ALL}. */
    public static final String UNKNOWN_TYPE = "unknown_type";
    /** The {@code tenant} attribute differs from the tenant segment of {@code source}. */
    public static final String TENANT_MISMATCH = "tenant_mismatch";
    /** {@code data.project} is present and differs from the project segment of {@code source}. */
    public static final String PROJECT_MISMATCH = "project_mismatch";

    /** Checks that no component is null. */
    public ValidationError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }
}
