-- Metric points are the bulk of the data and of the write load: store them narrow. A run and a metric key are
-- referred to by small surrogate numbers instead of three text columns, so a point is 40 bytes of fixed-width
-- columns and its index compares integers instead of collated text.

ALTER TABLE runs ADD COLUMN ref bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE runs ADD CONSTRAINT runs_ref_key UNIQUE (ref);

-- Metric names of a tenant; ids are handed out once and never reused.
CREATE TABLE metric_keys (
    id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants (id),
    key        text NOT NULL,
    UNIQUE (tenant_id, key)
);

-- Append-only history. A point belongs to the event that carried it: the event-id ledger (processed_events, written
-- in the same transaction) makes a replayed event change nothing, so the table needs no unique constraint, and the
-- same values sent again in a NEW event are a new point, as in any append-only log. NaN and +/-Infinity are stored as
-- they are (float8 holds them). run_ref is runs.ref, key_ref is metric_keys.id (not declared as foreign keys:
-- a per-row check would double the cost of the hot insert; ingest takes both from the rows it has just written).
CREATE TABLE metric_points_narrow (
    run_ref  bigint NOT NULL,
    key_ref  integer NOT NULL,
    step     bigint NOT NULL,
    time     timestamptz NOT NULL,
    value    double precision NOT NULL
);

INSERT INTO metric_keys (tenant_id, key)
SELECT DISTINCT tenant_id, key FROM metric_points ORDER BY 1, 2;

INSERT INTO metric_points_narrow (run_ref, key_ref, step, time, value)
SELECT r.ref, k.id, p.step, p.time, p.value
FROM metric_points p
JOIN runs r ON r.tenant_id = p.tenant_id AND r.run_id = p.run_id
JOIN metric_keys k ON k.tenant_id = p.tenant_id AND k.key = p.key;

DROP TABLE metric_points;
ALTER TABLE metric_points_narrow RENAME TO metric_points;
CREATE INDEX metric_points_by_series ON metric_points (run_ref, key_ref, step);

-- The history with names, for reading and for operators.
CREATE VIEW metric_history AS
SELECT r.tenant_id, r.run_id, k.key, p.step, p.time, p.value
FROM metric_points p
JOIN runs r ON r.ref = p.run_ref
JOIN metric_keys k ON k.id = p.key_ref;
