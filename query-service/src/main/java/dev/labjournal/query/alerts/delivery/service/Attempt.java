package dev.labjournal.query.alerts.delivery.service;

import java.time.Duration;
import java.time.Instant;

/**
 * What one delivery attempt gave.
 *
 * @param started when it started
 * @param durationMs how long it took
 * @param statusCode the receiver's HTTP status, or null (no answer; a Kafka send)
 * @param error why it failed, or null when it succeeded
 * @param retryAfter how long the receiver asked to wait ({@code Retry-After}), or null
 * @param retryable whether trying again may help (false for a URL that can never be sent to)
 */
public record Attempt(
        Instant started, int durationMs, Integer statusCode, String error, Duration retryAfter, boolean retryable) {

    /** The HTTP status with which a receiver says it is gone for good: the channel is disabled. */
    public static final int GONE = 410;

    /** A receiver answered: only 2xx is success. */
    public static Attempt answered(Instant started, int statusCode, Duration retryAfter) {
        boolean ok = statusCode >= 200 && statusCode < 300;
        return new Attempt(
                started,
                elapsedMs(started),
                statusCode,
                ok ? null : "the receiver answered HTTP " + statusCode,
                ok ? null : retryAfter,
                statusCode != GONE);
    }

    /** Nothing answered in time, or the connection failed. */
    public static Attempt unanswered(Instant started, String error) {
        return new Attempt(started, elapsedMs(started), null, error, null, true);
    }

    /** The channel can never be delivered to as it is. */
    public static Attempt refused(Instant started, String error) {
        return new Attempt(started, elapsedMs(started), null, error, null, false);
    }

    /** The broker acknowledged the record. */
    public static Attempt acknowledged(Instant started) {
        return new Attempt(started, elapsedMs(started), null, null, null, true);
    }

    public boolean succeeded() {
        return error == null;
    }

    public boolean gone() {
        return statusCode != null && statusCode == GONE;
    }

    private static int elapsedMs(Instant started) {
        return (int) Math.min(
                Integer.MAX_VALUE, Duration.between(started, Instant.now()).toMillis());
    }
}
