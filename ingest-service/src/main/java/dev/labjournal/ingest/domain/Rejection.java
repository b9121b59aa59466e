package dev.labjournal.ingest.domain;

/**
 * Why an event was not (fully) applied; it goes to the dead-letter topic with these as headers.
 *
 * @param code machine-readable cause: malformed_json, too_large, schema_violation, unknown_type, tenant_mismatch,
 *     unknown_tenant, param_conflict, storage_rejected
 * @param path the JSON path of the offending value, "$" for the whole event
 */
public record Rejection(String code, String path, String reason, byte[] raw, RunEvent.SourcePosition position) {}
