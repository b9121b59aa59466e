package dev.labjournal.ingest.normalise.repository;

import dev.labjournal.ingest.domain.RunEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The record of applied event ids that makes ingest idempotent. */
@ApplicationScoped
public class EventLedger {

    private static final String CLAIM = "INSERT INTO processed_events (tenant_id, event_id, type, run_id)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
            + " ON CONFLICT DO NOTHING RETURNING tenant_id, event_id";

    /**
     * Records the events as processed and returns the keys ({@link RunEvent#eventKey()}) of those seen for the first
     * time; the others were applied before and must change nothing. The events must have distinct keys.
     */
    public Uni<Set<String>> claimNew(SqlConnection conn, List<RunEvent> events) {
        Tuple args = Tuple.of(
                events.stream().map(RunEvent::tenant).toArray(String[]::new),
                events.stream().map(RunEvent::id).toArray(String[]::new),
                events.stream().map(RunEvent::type).toArray(String[]::new),
                events.stream().map(RunEvent::runId).toArray(String[]::new));
        return conn.preparedQuery(CLAIM).execute(args).map(rows -> {
            Set<String> fresh = new HashSet<>();
            for (Row row : rows) {
                fresh.add(row.getString(0) + "\u0000" + row.getString(1));
            }
            return fresh;
        });
    }
}
