-- Alerts (DESIGN D6): rules a tenant subscribes, the alerts they fired, and their delivery on each channel.
-- query-service owns these rows: it evaluates run changes against the rules, stores each alert first and delivers it
-- afterwards, so a restart between the two loses nothing. Every table is behind the tenant wall of V3, for reading
-- and writing; only alert_outbox, which the delivery workers scan across tenants, has no tenant policy and carries
-- nothing but identifiers.

-- A rule as the API accepted it. definition is the validated rule document without channel secrets; deleted_at marks
-- a deleted rule (its alerts and their delivery log stay readable).
CREATE TABLE alert_rules (
    tenant_id   text NOT NULL REFERENCES tenants (id),
    id          text NOT NULL,
    name        text NOT NULL,
    kind        text NOT NULL CHECK (kind IN
                    ('metric_regression', 'run_failed', 'new_failure_group', 'duplicate_run', 'run_lost')),
    project     text,
    filter      text,
    definition  jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at  timestamptz,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX alert_rules_live ON alert_rules (tenant_id) WHERE deleted_at IS NULL;

-- The channels of a rule, in the order the rule lists them. secret signs webhook deliveries (Standard Webhooks);
-- disabled_at is set when a receiver answers 410 Gone.
CREATE TABLE alert_channels (
    tenant_id       text NOT NULL,
    rule_id         text NOT NULL,
    position        smallint NOT NULL,
    type            text NOT NULL CHECK (type IN ('webhook', 'sse', 'kafka')),
    url             text,
    secret          text,
    disabled_at     timestamptz,
    disabled_reason text,
    PRIMARY KEY (tenant_id, rule_id, position),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES alert_rules (tenant_id, id),
    CHECK ((type = 'webhook') = (url IS NOT NULL AND secret IS NOT NULL))
);

-- The next alert sequence number of each tenant. An alert takes its number by updating this row, which holds the
-- row lock until the transaction commits: numbers become visible in increasing order, so a stream that resumes after
-- Last-Event-ID n (everything with seq > n) can never miss an alert committed late with a smaller number.
CREATE TABLE alert_sequences (
    tenant_id text PRIMARY KEY REFERENCES tenants (id),
    last_seq  bigint NOT NULL
);

-- One alert per (rule, run, kind), however often the events that caused it are replayed. id is derived from those
-- three, so it is stable; document is the alert exactly as every channel carries it.
CREATE TABLE alerts (
    tenant_id  text NOT NULL,
    id         text NOT NULL,
    seq        bigint NOT NULL,
    rule_id    text NOT NULL,
    kind       text NOT NULL,
    run_id     text NOT NULL,
    project    text,
    document   jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, seq),
    UNIQUE (tenant_id, rule_id, run_id, kind),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES alert_rules (tenant_id, id)
);
CREATE INDEX alerts_by_rule ON alerts (tenant_id, rule_id, seq);

-- The state of an alert on one channel of its rule (webhook and kafka; an SSE stream reads alerts by seq).
-- status: pending (next_attempt_at says when), delivered, failed (retries exhausted) or disabled (410 Gone).
CREATE TABLE alert_deliveries (
    tenant_id        text NOT NULL,
    alert_id         text NOT NULL,
    position         smallint NOT NULL,
    channel_type     text NOT NULL CHECK (channel_type IN ('webhook', 'kafka')),
    status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'disabled')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    PRIMARY KEY (tenant_id, alert_id, position),
    FOREIGN KEY (tenant_id, alert_id) REFERENCES alerts (tenant_id, id)
);

-- Every delivery attempt, for GET /api/v1/alerts: when, the HTTP status code (null when none came), and the error.
CREATE TABLE alert_delivery_attempts (
    tenant_id    text NOT NULL,
    alert_id     text NOT NULL,
    position     smallint NOT NULL,
    attempt      integer NOT NULL,
    attempted_at timestamptz NOT NULL,
    duration_ms  integer NOT NULL,
    status_code  integer,
    error        text,
    PRIMARY KEY (tenant_id, alert_id, position, attempt),
    FOREIGN KEY (tenant_id, alert_id, position) REFERENCES alert_deliveries (tenant_id, alert_id, position)
);

-- What the delivery workers claim (SELECT ... FOR UPDATE SKIP LOCKED, so two instances never deliver the same row at
-- once): one row per pending delivery, written in the alert's transaction, deleted when the delivery ends. The
-- worker reads the alert itself under the tenant wall.
CREATE TABLE alert_outbox (
    tenant_id       text NOT NULL,
    alert_id        text NOT NULL,
    position        smallint NOT NULL,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, alert_id, position),
    FOREIGN KEY (tenant_id, alert_id, position) REFERENCES alert_deliveries (tenant_id, alert_id, position)
);
CREATE INDEX alert_outbox_due ON alert_outbox (next_attempt_at);

GRANT SELECT, INSERT, UPDATE ON alert_rules, alert_channels, alert_sequences, alerts, alert_deliveries
    TO ${query_role};
GRANT SELECT, INSERT ON alert_delivery_attempts TO ${query_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON alert_outbox TO ${query_role};

ALTER TABLE alert_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_channels ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE alert_delivery_attempts ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_wall ON alert_rules FOR ALL TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON alert_channels FOR ALL TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON alert_sequences FOR ALL TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON alerts FOR ALL TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON alert_deliveries FOR ALL TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON alert_delivery_attempts FOR ALL TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
