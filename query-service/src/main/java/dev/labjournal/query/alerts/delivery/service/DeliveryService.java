package dev.labjournal.query.alerts.delivery.service;

import dev.labjournal.query.alerts.delivery.kafka.AlertPublisher;
import dev.labjournal.query.alerts.delivery.repository.AttemptOutcome;
import dev.labjournal.query.alerts.delivery.repository.DeliveryContext;
import dev.labjournal.query.alerts.delivery.repository.DeliveryRepository;
import dev.labjournal.query.alerts.delivery.repository.OutboxJob;
import dev.labjournal.query.alerts.delivery.webhook.WebhookSender;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Makes one attempt of a claimed delivery and records it: the alert, its delivery and its channel are read under the
 * tenant wall; a 2xx answer (webhook) or the broker's acknowledgement (Kafka) delivers it; 410 Gone disables the
 * channel; anything else is tried again on the {@link RetrySchedule} until the round's time is up, then it failed.
 *
 * <p>At least once: an instance that dies between a successful attempt and its record delivers the alert again
 * after its lease ran out, with the same {@code webhook-id} / CloudEvent {@code id}, by which receivers drop repeats.
 */
@ApplicationScoped
public class DeliveryService {

    private static final Logger LOG = Logger.getLogger(DeliveryService.class);

    private final DeliveryRepository deliveries;
    private final WebhookSender webhooks;
    private final AlertPublisher kafka;
    private final RetrySchedule schedule;

    public DeliveryService(
            DeliveryRepository deliveries, WebhookSender webhooks, AlertPublisher kafka, RetrySchedule schedule) {
        this.deliveries = deliveries;
        this.webhooks = webhooks;
        this.kafka = kafka;
        this.schedule = schedule;
    }

    /** Delivers a claimed job once; never fails (a failure to record leaves the job to its lease's end). */
    public Uni<Void> deliver(OutboxJob job) {
        return deliveries
                .load(job)
                .chain(context -> {
                    if (context == null) {
                        return deliveries.end(job, "failed");
                    }
                    if (context.channelDisabled()) {
                        return deliveries.end(job, "disabled");
                    }
                    return attempt(job, context).chain(attempt -> record(job, context, attempt));
                })
                .onFailure()
                .recoverWithUni(e -> {
                    LOG.warnf(
                            "delivery of alert %s (tenant %s, channel %d) not recorded, retried after its lease: %s",
                            job.alertId(), job.tenant(), job.position(), e.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Attempt> attempt(OutboxJob job, DeliveryContext context) {
        if ("kafka".equals(context.channelType())) {
            return kafka.publish(job.tenant(), context.ruleId(), context.runId(), context.document());
        }
        byte[] body = context.document().encode().getBytes(StandardCharsets.UTF_8);
        return webhooks.send(context.url(), context.secret(), job.alertId(), body);
    }

    private Uni<Void> record(OutboxJob job, DeliveryContext context, Attempt attempt) {
        Instant now = Instant.now();
        String status;
        Instant next = null;
        if (attempt.succeeded()) {
            status = "delivered";
        } else if (attempt.gone()) {
            status = "disabled";
        } else if (!attempt.retryable()) {
            status = "failed";
        } else {
            Instant roundStart = context.roundStart() == null
                    ? attempt.started()
                    : context.roundStart().toInstant();
            Optional<Instant> again = schedule.next(context.roundAttempts() + 1, roundStart, now, attempt.retryAfter());
            status = again.isPresent() ? "pending" : "failed";
            next = again.orElse(null);
        }
        AttemptOutcome outcome = new AttemptOutcome(
                utc(attempt.started()),
                attempt.durationMs(),
                attempt.statusCode(),
                attempt.error(),
                status,
                next == null ? null : utc(next));
        return deliveries.record(job, outcome, attempt.gone());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
