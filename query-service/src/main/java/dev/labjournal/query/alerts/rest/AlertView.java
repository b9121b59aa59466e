package dev.labjournal.query.alerts.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * An alert as GET /api/v1/alerts lists it: the document every channel carries, and its delivery on each webhook and
 * Kafka channel of its rule with the attempts made.
 *
 * @param seq the tenant's sequence number (the SSE event id)
 * @param alert the alert document
 */
public record AlertView(
        String id,
        long seq,
        String ruleId,
        String kind,
        String runId,
        OffsetDateTime createdAt,
        JsonNode alert,
        List<Delivery> deliveries) {

    /**
     * @param position the channel's position in the rule's channel list
     * @param url the webhook's URL (null for Kafka)
     * @param status pending, delivered, failed or disabled
     * @param attemptCount the attempts made since the delivery was last (re)queued
     * @param nextAttemptAt when it is tried next (pending only)
     * @param channelDisabledReason why the channel was disabled, or null
     * @param attempts the latest attempts, oldest first
     */
    public record Delivery(
            int position,
            String channelType,
            String url,
            String status,
            int attemptCount,
            OffsetDateTime nextAttemptAt,
            OffsetDateTime deliveredAt,
            String channelDisabledReason,
            List<DeliveryAttempt> attempts) {}

    /**
     * @param statusCode the receiver's HTTP status, or null (no answer; Kafka)
     * @param error why it failed, or null
     */
    public record DeliveryAttempt(
            int attempt, OffsetDateTime attemptedAt, int durationMs, Integer statusCode, String error) {}

    /** A page, newest first, and the token of the next (null on the last). */
    public record Page(List<AlertView> alerts, String nextPageToken) {}
}
