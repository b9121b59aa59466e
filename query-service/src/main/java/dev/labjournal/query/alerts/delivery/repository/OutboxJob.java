package dev.labjournal.query.alerts.delivery.repository;

import java.time.OffsetDateTime;

/**
 * A delivery an instance claimed from the outbox: the alert's channel at {@code position}, leased until {@code
 * leasedUntil} (the claimed row's {@code next_attempt_at}). Only the holder of that exact lease may move or remove the
 * row, so a redelivery requested meanwhile is never swallowed.
 */
public record OutboxJob(String tenant, String alertId, int position, OffsetDateTime leasedUntil) {}
