package dev.labjournal.ingest.normalise.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.ingest.domain.InvalidEventException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    private static PgException sqlState(String state) {
        return new PgException("message", "ERROR", state, "detail");
    }

    @Test
    void lostConnectionsTimeoutsAndServerTroubleAreTheInfrastructures() {
        assertThat(Failures.of(new ConnectException("Connection refused"))).isEqualTo(Failures.INFRASTRUCTURE);
        assertThat(Failures.of(new CompletionException(new ConnectException("refused"))))
                .as("found among the causes")
                .isEqualTo(Failures.INFRASTRUCTURE);
        assertThat(Failures.of(new java.util.concurrent.TimeoutException())).isEqualTo(Failures.INFRASTRUCTURE);
        assertThat(Failures.of(new NotLeaderOrFollowerException("moving"))).isEqualTo(Failures.INFRASTRUCTURE);
        assertThat(Failures.of(new VertxException("Pool closed"))).isEqualTo(Failures.INFRASTRUCTURE);
        for (String state : new String[] {"08006", "57P01", "57P03", "53300", "40001", "40P01", "55P03", "58030"}) {
            assertThat(Failures.of(sqlState(state))).as("SQLSTATE %s", state).isEqualTo(Failures.INFRASTRUCTURE);
        }
    }

    @Test
    void contentThePostgreSqlRefusesIsTheDatas() {
        for (String state : new String[] {"22P02", "23505", "42703", "54000"}) {
            assertThat(Failures.of(sqlState(state))).as("SQLSTATE %s", state).isEqualTo(Failures.DATA);
        }
        assertThat(Failures.of(new InvalidEventException("$.data.x", "bad"))).isEqualTo(Failures.DATA);
    }

    @Test
    void programmingErrorsAndEverythingElseAreInternal() {
        assertThat(Failures.of(new NullPointerException())).isEqualTo(Failures.INTERNAL);
        assertThat(Failures.of(new IllegalStateException("bug"))).isEqualTo(Failures.INTERNAL);
        assertThat(Failures.of(new RecordTooLargeException("too large"))).isEqualTo(Failures.INTERNAL);
        assertThat(Failures.of(sqlState("XX000")))
                .as("internal error of PostgreSQL")
                .isEqualTo(Failures.INTERNAL);
        assertThat(Failures.of(new VertxException("unexpected state"))).isEqualTo(Failures.INTERNAL);
    }
}
