package dev.labjournal.query.alerts.store;

import io.vertx.core.json.JsonObject;

/**
 * An alert as stored.
 *
 * @param id the stable alert id
 * @param seq the tenant's sequence number of the alert: the SSE event id; numbers grow in commit order and may skip
 * @param document the alert as every channel carries it, {@code id} included
 */
public record StoredAlert(String id, long seq, JsonObject document) {}
