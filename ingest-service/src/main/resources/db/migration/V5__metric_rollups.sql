-- Metric history with spikes (GET /api/v1/runs/{id}/metrics/{key}?max_points=N): a chart of a million points wants a
-- thousand, and every spike must survive. Reading a million points to bucket them takes about a second here, so
-- ingest keeps per-bucket aggregates of every series at five widths of steps, 16^level (16, 256, 4,096, 65,536 and
-- 1,048,576 steps): bucket = step >> (4 * level). A row keeps how many points the bucket has and two REAL points of
-- it, the minimum and the maximum, with their step and time, so a downsampled history is made of points that were
-- sent. ingest-service writes them in the same transaction as the points (one upsert per batch).
--
-- Order of values: PostgreSQL's (and Java's Double.compare) — NaN above +Infinity, -0 equal to 0. So a bucket with a
-- NaN shows the NaN as its maximum (a NaN loss is what its reader looks for) and its true minimum beside it. Ties go
-- to the earlier point by (step, time).
CREATE TABLE metric_rollups (
    run_ref   bigint NOT NULL,
    key_ref   integer NOT NULL,
    level     smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
    bucket    bigint NOT NULL,
    count     bigint NOT NULL,
    min_step  bigint NOT NULL,
    min_time  timestamptz NOT NULL,
    min_value double precision NOT NULL,
    max_step  bigint NOT NULL,
    max_time  timestamptz NOT NULL,
    max_value double precision NOT NULL,
    PRIMARY KEY (run_ref, key_ref, level, bucket)
);

-- The points stored before this migration: level 1 from the points, each further level from the one below.
INSERT INTO metric_rollups
SELECT g.run_ref, g.key_ref, 1, g.bucket, g.count, lo.step, lo.time, lo.value, hi.step, hi.time, hi.value
FROM (SELECT run_ref, key_ref, step >> 4 AS bucket, count(*) AS count FROM metric_points GROUP BY 1, 2, 3) g
JOIN (SELECT DISTINCT ON (run_ref, key_ref, step >> 4) run_ref, key_ref, step >> 4 AS bucket, step, time, value
      FROM metric_points ORDER BY run_ref, key_ref, step >> 4, value, step, time) lo
    USING (run_ref, key_ref, bucket)
JOIN (SELECT DISTINCT ON (run_ref, key_ref, step >> 4) run_ref, key_ref, step >> 4 AS bucket, step, time, value
      FROM metric_points ORDER BY run_ref, key_ref, step >> 4, value DESC, step, time) hi
    USING (run_ref, key_ref, bucket);

DO $$
BEGIN
    FOR l IN 2..5 LOOP
        INSERT INTO metric_rollups
        SELECT g.run_ref, g.key_ref, l, g.bucket, g.count, lo.min_step, lo.min_time, lo.min_value,
            hi.max_step, hi.max_time, hi.max_value
        FROM (SELECT run_ref, key_ref, bucket >> 4 AS bucket, sum(count)::bigint AS count
              FROM metric_rollups WHERE level = l - 1 GROUP BY 1, 2, 3) g
        JOIN (SELECT DISTINCT ON (run_ref, key_ref, bucket >> 4) run_ref, key_ref, bucket >> 4 AS bucket,
                  min_step, min_time, min_value
              FROM metric_rollups WHERE level = l - 1
              ORDER BY run_ref, key_ref, bucket >> 4, min_value, min_step, min_time) lo
            USING (run_ref, key_ref, bucket)
        JOIN (SELECT DISTINCT ON (run_ref, key_ref, bucket >> 4) run_ref, key_ref, bucket >> 4 AS bucket,
                  max_step, max_time, max_value
              FROM metric_rollups WHERE level = l - 1
              ORDER BY run_ref, key_ref, bucket >> 4, max_value DESC, max_step, max_time) hi
            USING (run_ref, key_ref, bucket);
    END LOOP;
END $$;

-- query-service reads them under the tenant wall of metric_points (V3): a row is visible when its run is.
GRANT SELECT ON metric_rollups TO ${query_role};
ALTER TABLE metric_rollups ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_wall ON metric_rollups FOR SELECT TO ${query_role}
    USING (EXISTS (SELECT 1 FROM runs r WHERE r.ref = metric_rollups.run_ref));
