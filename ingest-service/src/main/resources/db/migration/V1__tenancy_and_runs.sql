-- Lab Journal's source of truth. Both services run these migrations at start (Flyway takes a lock).

CREATE TABLE tenants (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Keys are shown once and stored as a SHA-256 hash. tenant_id NULL marks a platform administrator key.
CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    tenant_id   text REFERENCES tenants (id),
    team        text,
    scopes      text NOT NULL,
    key_hash    text NOT NULL UNIQUE,
    key_prefix  text NOT NULL,
    description text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE TABLE teams (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    name        text NOT NULL,
    PRIMARY KEY (tenant_id, name)
);

CREATE TABLE projects (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    name        text NOT NULL,
    team        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);

-- One row per run. started = false while the run is a placeholder created by an event that came before run.started.
-- version grows with every batch that touches the run; the search index uses it as the external document version.
CREATE TABLE runs (
    tenant_id          text NOT NULL REFERENCES tenants (id),
    run_id             text NOT NULL,
    project            text NOT NULL,
    team               text,
    name               text,
    user_name          text,
    status             text NOT NULL DEFAULT 'running'
                       CHECK (status IN ('running', 'succeeded', 'failed', 'killed', 'lost')),
    started            boolean NOT NULL DEFAULT false,
    source_repo        text,
    source_commit      text,
    source_branch      text,
    source_dirty       boolean,
    entrypoint         text,
    hypothesis         text,
    datasets           jsonb NOT NULL DEFAULT '[]',
    environment        jsonb NOT NULL DEFAULT '{}',
    fingerprint        text,
    failure_type       text,
    failure_message    text,
    failure_stacktrace text,
    failure_step       bigint,
    conclusion         text,
    start_time         timestamptz,
    end_time           timestamptz,
    last_event_time    timestamptz NOT NULL,
    version            bigint NOT NULL DEFAULT 1,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, run_id)
);
CREATE INDEX runs_by_fingerprint ON runs (tenant_id, fingerprint);
CREATE INDEX runs_by_project ON runs (tenant_id, project);

CREATE TABLE run_params (
    tenant_id  text NOT NULL,
    run_id     text NOT NULL,
    key        text NOT NULL,
    value      text NOT NULL,
    PRIMARY KEY (tenant_id, run_id, key),
    FOREIGN KEY (tenant_id, run_id) REFERENCES runs (tenant_id, run_id)
);

-- Last writer wins by event time.
CREATE TABLE run_tags (
    tenant_id  text NOT NULL,
    run_id     text NOT NULL,
    key        text NOT NULL,
    value      text NOT NULL,
    event_time timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, run_id, key),
    FOREIGN KEY (tenant_id, run_id) REFERENCES runs (tenant_id, run_id)
);

CREATE TABLE run_notes (
    tenant_id  text NOT NULL,
    run_id     text NOT NULL,
    event_id   text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('hypothesis', 'observation', 'conclusion')),
    text       text NOT NULL,
    time       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, run_id, event_id),
    FOREIGN KEY (tenant_id, run_id) REFERENCES runs (tenant_id, run_id)
);

CREATE TABLE run_artifacts (
    tenant_id  text NOT NULL,
    run_id     text NOT NULL,
    path       text NOT NULL,
    uri        text NOT NULL,
    digest     text,
    size_bytes bigint,
    media_type text,
    time       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, run_id, path),
    FOREIGN KEY (tenant_id, run_id) REFERENCES runs (tenant_id, run_id)
);

-- Append-only history; NaN and +/-Infinity are stored as they are (float8 holds them).
CREATE TABLE metric_points (
    tenant_id  text NOT NULL,
    run_id     text NOT NULL,
    key        text NOT NULL,
    step       bigint NOT NULL,
    time       timestamptz NOT NULL,
    value      double precision NOT NULL,
    PRIMARY KEY (tenant_id, run_id, key, step, time)
);

-- One row per (run, key): what search, compare and alerts read. min/max ignore NaN.
CREATE TABLE metric_summaries (
    tenant_id  text NOT NULL,
    run_id     text NOT NULL,
    key        text NOT NULL,
    last_value double precision NOT NULL,
    last_step  bigint NOT NULL,
    last_time  timestamptz NOT NULL,
    min_value  double precision,
    max_value  double precision,
    count      bigint NOT NULL,
    PRIMARY KEY (tenant_id, run_id, key),
    FOREIGN KEY (tenant_id, run_id) REFERENCES runs (tenant_id, run_id)
);

-- Idempotency: an event id seen before changes nothing.
CREATE TABLE processed_events (
    tenant_id    text NOT NULL,
    event_id     text NOT NULL,
    type         text NOT NULL,
    run_id       text NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, event_id)
);
