package dev.labjournal.query.alerts.delivery.service;

import dev.labjournal.query.alerts.delivery.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * When a failed delivery is tried again: exponential backoff with full jitter (a uniformly random delay between zero
 * and {@code initial-backoff * 2^(n-1)}, capped at {@code max-backoff}, after the n-th failed attempt), or exactly the
 * receiver's {@code Retry-After}; never later than {@code retry-for} after the round's first attempt.
 */
@ApplicationScoped
public class RetrySchedule {

    private final Duration initial;
    private final Duration max;
    private final Duration retryFor;
    private final LongUnaryOperator random;

    @Inject
    public RetrySchedule(DeliveryConfig config) {
        this(
                config.initialBackoff(),
                config.maxBackoff(),
                config.retryFor(),
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    RetrySchedule(Duration initial, Duration max, Duration retryFor, LongUnaryOperator random) {
        this.initial = initial;
        this.max = max;
        this.retryFor = retryFor;
        this.random = random;
    }

    /**
     * @param failedAttempts the failed attempts of this round so far, the one just made included (from 1)
     * @param roundStart when the round's first attempt was made
     * @param now the time of the decision
     * @param retryAfter what the receiver asked for, or null
     * @return when to try again, or empty when the round's time is up
     */
    public Optional<Instant> next(int failedAttempts, Instant roundStart, Instant now, Duration retryAfter) {
        Duration delay =
                retryAfter != null ? retryAfter : Duration.ofMillis(random.applyAsLong(ceiling(failedAttempts)));
        Instant at = now.plus(delay);
        return at.isAfter(roundStart.plus(retryFor)) ? Optional.empty() : Optional.of(at);
    }

    /** The largest delay after {@code failedAttempts} failures, in milliseconds. */
    long ceiling(int failedAttempts) {
        int doublings = Math.min(Math.max(failedAttempts - 1, 0), 40);
        long maxMs = max.toMillis();
        long initialMs = initial.toMillis();
        return initialMs > (maxMs >> doublings) ? maxMs : Math.min(maxMs, initialMs << doublings);
    }
}
