package dev.labjournal.query.alerts.delivery;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the outbox workers deliver alerts by webhook and Kafka: batches, leases, retries and timeouts. */
@ConfigMapping(prefix = "labjournal.alerts.delivery")
public interface DeliveryConfig {

    /** False turns the workers of this instance off (another instance delivers, or nobody does). */
    @WithDefault("true")
    boolean enabled();

    /** The most deliveries one instance has in flight at once; a claim takes at most the free slots. */
    @WithDefault("32")
    int concurrency();

    /**
     * How often the workers look for due deliveries when no notification woke them: the fallback for a missed
     * notification and the clock of scheduled retries.
     */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * How long a claimed delivery belongs to the instance that claimed it. A crashed instance's claims are taken
     * over once their lease ran out, so it must exceed one attempt (connect plus request timeout).
     */
    @WithDefault("30s")
    Duration lease();

    /** The delay before the first retry; each further retry doubles it, up to {@link #maxBackoff()}. */
    @WithDefault("2s")
    Duration initialBackoff();

    /** The longest delay between two attempts, however many failed before. */
    @WithDefault("1h")
    Duration maxBackoff();

    /**
     * How long a delivery is retried, from its first attempt (a redelivery starts anew); a delivery whose next
     * attempt would come later fails.
     */
    @WithDefault("24h")
    Duration retryFor();

    /** The longest a webhook receiver may take to accept the connection. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** The longest a webhook receiver may take to answer, once connected. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** The longest a Kafka send may wait for the broker's acknowledgement. */
    @WithDefault("10s")
    Duration kafkaTimeout();
}
