package dev.labjournal.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: initial, then doubling up to max, each delay drawn from its upper half. */
final class Backoff {

    private final long maxNanos;
    private long nextNanos;

    Backoff(Duration initial, Duration max) {
        this.nextNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
    }

    long nextDelayNanos() {
        long delay = nextNanos / 2 + ThreadLocalRandom.current().nextLong(nextNanos / 2 + 1);
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        return delay;
    }
}
