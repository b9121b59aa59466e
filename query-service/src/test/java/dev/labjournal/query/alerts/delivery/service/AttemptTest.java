package dev.labjournal.query.alerts.delivery.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AttemptTest {

    @Test
    void only2xxSucceeds() {
        assertThat(Attempt.answered(Instant.now(), 200, null).succeeded()).isTrue();
        assertThat(Attempt.answered(Instant.now(), 299, null).succeeded()).isTrue();
        for (int status : new int[] {199, 301, 304, 400, 429, 500, 503}) {
            Attempt attempt = Attempt.answered(Instant.now(), status, null);
            assertThat(attempt.succeeded()).as("%d", status).isFalse();
            assertThat(attempt.retryable()).as("%d", status).isTrue();
            assertThat(attempt.error()).contains(Integer.toString(status));
        }
    }

    @Test
    void goneIsFinal() {
        Attempt gone = Attempt.answered(Instant.now(), 410, null);

        assertThat(gone.gone()).isTrue();
        assertThat(gone.retryable()).isFalse();
    }

    @Test
    void noAnswerIsRetriedWithoutAStatusCode() {
        Attempt timeout = Attempt.unanswered(Instant.now(), "HttpTimeoutException: request timed out");

        assertThat(timeout.statusCode()).isNull();
        assertThat(timeout.retryable()).isTrue();
        assertThat(timeout.succeeded()).isFalse();
    }
}
