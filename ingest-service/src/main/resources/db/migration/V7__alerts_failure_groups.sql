-- The failure groups (query-service failures/signature: the group the search index gives a failed run) each tenant
-- has seen, with the first run that failed in it: the new_failure_group alert kind fires for that run only. The
-- primary key decides between two runs of a new group evaluated at once (two batches, two instances): the first
-- insert wins, the other finds the group taken. query-service's alert evaluation adds a row for every failed run it
-- sees, whether or not a rule asks, so that a rule created later knows the groups seen before it.
CREATE TABLE alert_failure_groups (
    tenant_id     text NOT NULL REFERENCES tenants (id),
    failure_group text NOT NULL,
    first_run_id  text NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, failure_group)
);

GRANT SELECT, INSERT ON alert_failure_groups TO ${query_role};

ALTER TABLE alert_failure_groups ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_wall ON alert_failure_groups FOR ALL TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
