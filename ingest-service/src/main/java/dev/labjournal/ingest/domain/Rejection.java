package dev.labjournal.ingest.domain;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Collectors;

/**
 * Why an event was not (fully) applied; it goes to the dead-letter topic with these as headers.
 *
 * @param code machine-readable cause: malformed_json, too_large, schema_violation, unknown_type, tenant_mismatch,
 *     unknown_tenant, key_mismatch, param_conflict, storage_rejected, internal_error
 * @param path the JSON path of the offending value, "$" for the whole event
 * @param trace for an internal error, the first lines of its stack trace (else null)
 */
public record Rejection(
        String code, String path, String reason, String trace, byte[] raw, RunEvent.SourcePosition position) {

    /** How many lines of an internal error's stack trace a dead letter carries. */
    static final int TRACE_LINES = 8;

    public Rejection(String code, String path, String reason, byte[] raw, RunEvent.SourcePosition position) {
        this(code, path, reason, null, raw, position);
    }

    /** An event that could not be stored because of a failure of ours, not of the event: it can be replayed later. */
    public static Rejection internalError(Throwable failure, byte[] raw, RunEvent.SourcePosition position) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        String firstLines = trace.toString().lines().limit(TRACE_LINES).collect(Collectors.joining("\n"));
        return new Rejection(
                "internal_error",
                "$",
                "the event could not be stored because of an internal error (" + failure
                        + "); it is kept here to be replayed once that is fixed",
                firstLines,
                raw,
                position);
    }
}
