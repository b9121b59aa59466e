package dev.labjournal.query.alerts.delivery.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** The largest delay full jitter can draw, so the bounds are visible. */
    private final RetrySchedule longest =
            new RetrySchedule(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofHours(24), bound -> bound);

    @Test
    void theCeilingDoublesFromTheInitialBackoffUpToTheMaximum() {
        assertThat(longest.ceiling(1)).isEqualTo(2_000);
        assertThat(longest.ceiling(2)).isEqualTo(4_000);
        assertThat(longest.ceiling(3)).isEqualTo(8_000);
        assertThat(longest.ceiling(12)).isEqualTo(3_600_000);
        assertThat(longest.ceiling(1_000)).isEqualTo(3_600_000);
    }

    @Test
    void fullJitterDrawsBetweenZeroAndTheCeiling() {
        RetrySchedule shortest =
                new RetrySchedule(Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofHours(24), bound -> 0);

        assertThat(longest.next(3, START, START, null)).contains(START.plusSeconds(8));
        assertThat(shortest.next(3, START, START, null)).contains(START);
    }

    @Test
    void aRetryAfterIsTakenAsItIs() {
        assertThat(longest.next(1, START, START, Duration.ofSeconds(30))).contains(START.plusSeconds(30));
    }

    @Test
    void nothingIsScheduledPastTheRoundsWindow() {
        Instant late = START.plus(Duration.ofHours(24)).minusSeconds(5);

        assertThat(longest.next(1, START, late, null)).contains(late.plusSeconds(2));
        assertThat(longest.next(3, START, late, null)).isEmpty();
        assertThat(longest.next(1, START, START, Duration.ofHours(25))).isEmpty();
    }
}
