package dev.labjournal.query.alerts.delivery.repository;

import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;

/**
 * What one attempt of a delivery needs, read under the tenant wall.
 *
 * @param ruleId the rule of the alert
 * @param runId the run the alert is about (the Kafka key)
 * @param document the alert as every channel carries it
 * @param channelType {@code webhook} or {@code kafka}
 * @param url the webhook's URL, or null
 * @param secret the webhook's signing secret ({@code whsec_...}), or null
 * @param channelDisabled whether the channel was disabled (a receiver answered 410 Gone)
 * @param roundAttempts the attempts made since the delivery was (re)queued
 * @param roundStart when the first of those attempts was made, or null before the first
 */
public record DeliveryContext(
        String ruleId,
        String runId,
        JsonObject document,
        String channelType,
        String url,
        String secret,
        boolean channelDisabled,
        int roundAttempts,
        OffsetDateTime roundStart) {}
