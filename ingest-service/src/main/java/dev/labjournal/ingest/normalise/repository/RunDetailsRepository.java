package dev.labjournal.ingest.normalise.repository;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes params, tags, notes and artifact references of runs: one statement per kind for a whole batch, whatever its
 * number of events. The caller has resolved what one batch says twice (see RunEventApplier), so that each row
 * appears once per statement.
 */
@ApplicationScoped
public class RunDetailsRepository {

    private static final String EXISTING_PARAMS = "SELECT p.tenant_id, p.run_id, p.key, p.value FROM run_params p"
            + " JOIN unnest($1::text[], $2::text[], $3::text[]) AS w(tenant_id, run_id, key)"
            + " ON p.tenant_id = w.tenant_id AND p.run_id = w.run_id AND p.key = w.key";

    private static final String INSERT_PARAMS = "INSERT INTO run_params (tenant_id, run_id, key, value)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING"
            + " RETURNING tenant_id, run_id, key, value";

    private static final String UPSERT_TAGS = "INSERT INTO run_tags (tenant_id, run_id, key, value, event_time)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])"
            + " ON CONFLICT (tenant_id, run_id, key) DO UPDATE SET value = EXCLUDED.value,"
            + " event_time = EXCLUDED.event_time WHERE run_tags.event_time <= EXCLUDED.event_time"
            + " RETURNING tenant_id, run_id, key, value";

    private static final String INSERT_NOTES = "INSERT INTO run_notes (tenant_id, run_id, event_id, kind, text, time)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])"
            + " ON CONFLICT DO NOTHING";

    private static final String UPSERT_ARTIFACTS = "INSERT INTO run_artifacts"
            + " (tenant_id, run_id, path, uri, digest, size_bytes, media_type, time)"
            + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],"
            + " $7::text[], $8::timestamptz[])"
            + " ON CONFLICT (tenant_id, run_id, path) DO UPDATE SET uri = EXCLUDED.uri, digest = EXCLUDED.digest,"
            + " size_bytes = EXCLUDED.size_bytes, media_type = EXCLUDED.media_type, time = EXCLUDED.time"
            + " WHERE run_artifacts.time <= EXCLUDED.time";

    /** A param, tag or other keyed value of a run. */
    public record Keyed(RunKey run, String key) {}

    /** A param that already has another value: params are immutable. */
    public record ParamConflict(String key, String existingValue, String rejectedValue) {}

    /** A tag value as an event of {@code time} sets it. */
    public record TagWrite(RunKey run, String key, String value, OffsetDateTime time) {}

    /** A note of a run (the event id makes a replayed note a no-op). */
    public record Note(RunKey run, String eventId, String kind, String text, OffsetDateTime time) {}

    /** An artifact reference (no blob): the latest event for a path wins. */
    public record Artifact(String path, String uri, String digest, Long sizeBytes, String mediaType) {}

    /** An artifact reference as an event of {@code time} sets it. */
    public record ArtifactWrite(RunKey run, Artifact artifact, OffsetDateTime time) {}

    /** The stored values of these params, of those that exist. */
    public Uni<Map<Keyed, String>> existingParams(SqlConnection conn, List<Keyed> params) {
        if (params.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery(EXISTING_PARAMS)
                .execute(Tuple.of(
                        params.stream().map(p -> p.run().tenant()).toArray(String[]::new),
                        params.stream().map(p -> p.run().runId()).toArray(String[]::new),
                        params.stream().map(Keyed::key).toArray(String[]::new)))
                .map(RunDetailsRepository::byRun);
    }

    /**
     * Inserts params the runs do not have yet (each key once per run).
     *
     * @return the params inserted, per run
     */
    public Uni<Map<RunKey, Map<String, String>>> insertParams(SqlConnection conn, Map<Keyed, String> params) {
        if (params.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery(INSERT_PARAMS)
                .execute(Tuple.of(
                        params.keySet().stream().map(p -> p.run().tenant()).toArray(String[]::new),
                        params.keySet().stream().map(p -> p.run().runId()).toArray(String[]::new),
                        params.keySet().stream().map(Keyed::key).toArray(String[]::new),
                        params.values().toArray(String[]::new)))
                .map(RunDetailsRepository::perRun);
    }

    /**
     * Last writer wins by event time (each run and key once).
     *
     * @return the tags written (those of which the run had no value of a later event), as stored, per run
     */
    public Uni<Map<RunKey, Map<String, String>>> upsertTags(SqlConnection conn, List<TagWrite> tags) {
        if (tags.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return conn.preparedQuery(UPSERT_TAGS)
                .execute(Tuple.of(
                        tags.stream().map(t -> t.run().tenant()).toArray(String[]::new),
                        tags.stream().map(t -> t.run().runId()).toArray(String[]::new),
                        tags.stream().map(TagWrite::key).toArray(String[]::new),
                        tags.stream().map(TagWrite::value).toArray(String[]::new),
                        tags.stream().map(TagWrite::time).toArray(OffsetDateTime[]::new)))
                .map(RunDetailsRepository::perRun);
    }

    public Uni<Void> insertNotes(SqlConnection conn, List<Note> notes) {
        if (notes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(INSERT_NOTES)
                .execute(Tuple.from(new Object[] {
                    notes.stream().map(n -> n.run().tenant()).toArray(String[]::new),
                    notes.stream().map(n -> n.run().runId()).toArray(String[]::new),
                    notes.stream().map(Note::eventId).toArray(String[]::new),
                    notes.stream().map(Note::kind).toArray(String[]::new),
                    notes.stream().map(Note::text).toArray(String[]::new),
                    notes.stream().map(Note::time).toArray(OffsetDateTime[]::new)
                }))
                .replaceWithVoid();
    }

    /** Upserts artifact references (each run and path once), unless a later event set the path already. */
    public Uni<Void> upsertArtifacts(SqlConnection conn, List<ArtifactWrite> artifacts) {
        if (artifacts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery(UPSERT_ARTIFACTS)
                .execute(Tuple.from(new Object[] {
                    artifacts.stream().map(a -> a.run().tenant()).toArray(String[]::new),
                    artifacts.stream().map(a -> a.run().runId()).toArray(String[]::new),
                    artifacts.stream().map(a -> a.artifact().path()).toArray(String[]::new),
                    artifacts.stream().map(a -> a.artifact().uri()).toArray(String[]::new),
                    artifacts.stream().map(a -> a.artifact().digest()).toArray(String[]::new),
                    artifacts.stream().map(a -> a.artifact().sizeBytes()).toArray(Long[]::new),
                    artifacts.stream().map(a -> a.artifact().mediaType()).toArray(String[]::new),
                    artifacts.stream().map(ArtifactWrite::time).toArray(OffsetDateTime[]::new)
                }))
                .replaceWithVoid();
    }

    /** Rows of (tenant_id, run_id, key, value) by run and key. */
    private static Map<Keyed, String> byRun(RowSet<Row> rows) {
        Map<Keyed, String> values = new HashMap<>();
        for (Row row : rows) {
            values.put(new Keyed(new RunKey(row.getString(0), row.getString(1)), row.getString(2)), row.getString(3));
        }
        return values;
    }

    /** Rows of (tenant_id, run_id, key, value), grouped by run. */
    private static Map<RunKey, Map<String, String>> perRun(RowSet<Row> rows) {
        Map<RunKey, Map<String, String>> values = new LinkedHashMap<>();
        for (Row row : rows) {
            values.computeIfAbsent(new RunKey(row.getString(0), row.getString(1)), r -> new LinkedHashMap<>())
                    .put(row.getString(2), row.getString(3));
        }
        return values;
    }
}
