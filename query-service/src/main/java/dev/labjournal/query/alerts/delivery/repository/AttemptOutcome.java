package dev.labjournal.query.alerts.delivery.repository;

import java.time.OffsetDateTime;

/**
 * One delivery attempt and what follows from it.
 *
 * @param attemptedAt when the attempt started
 * @param durationMs how long it took
 * @param statusCode the receiver's HTTP status, or null (no answer, or a Kafka channel)
 * @param error why it failed, or null
 * @param status the delivery's status afterwards: {@code pending}, {@code delivered}, {@code failed} or {@code disabled}
 * @param nextAttemptAt when to try again ({@code pending} only)
 */
public record AttemptOutcome(
        OffsetDateTime attemptedAt,
        int durationMs,
        Integer statusCode,
        String error,
        String status,
        OffsetDateTime nextAttemptAt) {

    public boolean ends() {
        return !"pending".equals(status);
    }
}
