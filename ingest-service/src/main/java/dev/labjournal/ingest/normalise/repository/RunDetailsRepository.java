package dev.labjournal.ingest.normalise.repository;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes params, tags, notes and artifact references of runs. */
@ApplicationScoped
public class RunDetailsRepository {

    private static final String EXISTING_PARAMS =
            "SELECT key, value FROM run_params WHERE tenant_id = $1 AND run_id = $2 AND key = ANY($3::text[])";

    private static final String INSERT_PARAMS = "INSERT INTO run_params (tenant_id, run_id, key, value)"
            + " SELECT $1, $2, k, v FROM unnest($3::text[], $4::text[]) AS p(k, v) ON CONFLICT DO NOTHING"
            + " RETURNING key, value";

    private static final String UPSERT_TAGS = "INSERT INTO run_tags (tenant_id, run_id, key, value, event_time)"
            + " SELECT $1, $2, k, v, $5 FROM unnest($3::text[], $4::text[]) AS t(k, v)"
            + " ON CONFLICT (tenant_id, run_id, key) DO UPDATE SET value = EXCLUDED.value,"
            + " event_time = EXCLUDED.event_time WHERE run_tags.event_time <= EXCLUDED.event_time"
            + " RETURNING key, value";

    private static final String INSERT_NOTE = "INSERT INTO run_notes (tenant_id, run_id, event_id, kind, text, time)"
            + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";

    private static final String UPSERT_ARTIFACT = "INSERT INTO run_artifacts"
            + " (tenant_id, run_id, path, uri, digest, size_bytes, media_type, time)"
            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            + " ON CONFLICT (tenant_id, run_id, path) DO UPDATE SET uri = EXCLUDED.uri, digest = EXCLUDED.digest,"
            + " size_bytes = EXCLUDED.size_bytes, media_type = EXCLUDED.media_type, time = EXCLUDED.time"
            + " WHERE run_artifacts.time <= EXCLUDED.time";

    /** A param that already has another value: params are immutable. */
    public record ParamConflict(String key, String existingValue, String rejectedValue) {}

    /**
     * What {@link #insertParams} did.
     *
     * @param inserted the params the run did not have, now set
     * @param conflicts the params that already have a different value (not written)
     */
    public record ParamsWritten(Map<String, String> inserted, Map<String, ParamConflict> conflicts) {}

    /** Inserts the params the run does not have yet; a param sent again with the same value is a no-op. */
    public Uni<ParamsWritten> insertParams(SqlConnection conn, RunKey run, Map<String, String> params) {
        String[] keys = params.keySet().toArray(String[]::new);
        return conn.preparedQuery(EXISTING_PARAMS)
                .execute(Tuple.of(run.tenant(), run.runId(), keys))
                .chain(rows -> {
                    Map<String, ParamConflict> conflicts = new LinkedHashMap<>();
                    for (Row row : rows) {
                        String key = row.getString(0);
                        String existing = row.getString(1);
                        if (!existing.equals(params.get(key))) {
                            conflicts.put(key, new ParamConflict(key, existing, params.get(key)));
                        }
                    }
                    return conn.preparedQuery(INSERT_PARAMS)
                            .execute(Tuple.of(
                                    run.tenant(),
                                    run.runId(),
                                    keys,
                                    params.values().toArray(String[]::new)))
                            .map(inserted -> new ParamsWritten(keyValues(inserted), conflicts));
                });
    }

    /**
     * Last writer wins by event time.
     *
     * @return the tags written (those of which the run had no value of a later event), as stored
     */
    public Uni<Map<String, String>> upsertTags(
            SqlConnection conn, RunKey run, Map<String, String> tags, OffsetDateTime eventTime) {
        return conn.preparedQuery(UPSERT_TAGS)
                .execute(Tuple.of(
                        run.tenant(),
                        run.runId(),
                        tags.keySet().toArray(String[]::new),
                        tags.values().toArray(String[]::new),
                        eventTime))
                .map(RunDetailsRepository::keyValues);
    }

    /** Rows of (key, value). */
    private static Map<String, String> keyValues(RowSet<Row> rows) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Row row : rows) {
            map.put(row.getString(0), row.getString(1));
        }
        return map;
    }

    public Uni<Void> insertNote(
            SqlConnection conn, RunKey run, String eventId, String kind, String text, OffsetDateTime time) {
        return conn.preparedQuery(INSERT_NOTE)
                .execute(Tuple.of(run.tenant(), run.runId(), eventId, kind, text, time))
                .replaceWithVoid();
    }

    /** An artifact reference (no blob): the latest event for a path wins. */
    public record Artifact(String path, String uri, String digest, Long sizeBytes, String mediaType) {}

    public Uni<Void> upsertArtifact(SqlConnection conn, RunKey run, Artifact a, OffsetDateTime time) {
        Tuple args = Tuple.tuple()
                .addString(run.tenant())
                .addString(run.runId())
                .addString(a.path())
                .addString(a.uri())
                .addString(a.digest())
                .addLong(a.sizeBytes())
                .addString(a.mediaType())
                .addOffsetDateTime(time);
        return conn.preparedQuery(UPSERT_ARTIFACT).execute(args).replaceWithVoid();
    }
}
