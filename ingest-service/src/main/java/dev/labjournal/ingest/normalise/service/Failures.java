package dev.labjournal.ingest.normalise.service;

import dev.labjournal.ingest.domain.InvalidEventException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Sorts failures into the three ways they are handled, so that no failure can stop a partition for good: only the
 * infrastructure's are retried without end.
 */
public enum Failures {
    /**
     * The database or Kafka is unreachable, overloaded, restarting or timing out, or a transaction lost a
     * serialization race: the same batch will succeed later, so it is retried until it does.
     */
    INFRASTRUCTURE,
    /** PostgreSQL refuses the content (or this server cannot represent it): retrying cannot help; refuse the event. */
    DATA,
    /** Anything else, a programming error above all: retried a few times, then the event is dead-lettered. */
    INTERNAL;

    /**
     * SQLSTATE classes of the infrastructure: connection exception (08), transaction rollback: serialization failure
     * and deadlock (40), insufficient resources (53), operator intervention: shutdown, cannot connect now (57),
     * system error (58), and lock not available (55P03 within 55).
     */
    private static final Set<String> INFRASTRUCTURE_SQL_CLASSES = Set.of("08", "40", "53", "57", "58");

    /** SQLSTATE classes of refused data: data exception (22), integrity (23), syntax or access rule (42), limits (54). */
    private static final Set<String> DATA_SQL_CLASSES = Set.of("22", "23", "42", "54");

    /** The kind of a failure, from the first of its causes that tells. */
    public static Failures of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidEventException || t instanceof IllegalArgumentException) {
                return DATA;
            }
            if (t instanceof PgException pg
                    && pg.getSqlState() != null
                    && pg.getSqlState().length() == 5) {
                String sqlClass = pg.getSqlState().substring(0, 2);
                if (INFRASTRUCTURE_SQL_CLASSES.contains(sqlClass)
                        || pg.getSqlState().equals("55P03")) {
                    return INFRASTRUCTURE;
                }
                if (DATA_SQL_CLASSES.contains(sqlClass)) {
                    return DATA;
                }
                return INTERNAL;
            }
            if (isNetworkOrTimeout(t)) {
                return INFRASTRUCTURE;
            }
        }
        return INTERNAL;
    }

    public static boolean isInfrastructure(Throwable failure) {
        return of(failure) == INFRASTRUCTURE;
    }

    /**
     * Network and timeout failures of any client: I/O errors (refused or reset connections), timeouts, Kafka's
     * retriable errors, and the Vert.x SQL client's closed-connection and pool failures, which it reports with
     * classes of its own ({@code ClosedConnectionException}, {@code NoStackTraceTimeoutException}, ...) or as a plain
     * {@code VertxException} ("Pool closed" while the service shuts down, "Connection ... closed").
     */
    private static boolean isNetworkOrTimeout(Throwable t) {
        if (t instanceof IOException || t instanceof TimeoutException || t instanceof RetriableException) {
            return true;
        }
        String name = t.getClass().getSimpleName();
        if (name.contains("Timeout") || name.contains("ClosedConnection") || name.contains("ConnectException")) {
            return true;
        }
        String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
        return t instanceof VertxException && (message.contains("closed") || message.contains("connection"));
    }
}
