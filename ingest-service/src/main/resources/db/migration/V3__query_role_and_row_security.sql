-- The second tenant wall. query-service connects as its own role (${query_role}) and sets the tenant of every read
-- for its transaction (set_config('labjournal.tenant', ..., true)); the policies below show that role only the rows
-- of that tenant, so even a query that forgot its own tenant filter returns nothing foreign. Without a tenant set,
-- the role sees no run data at all. The owner role (ingest-service, migrations) is not subject to these policies.
--
-- The role itself is made by whoever provisions the database (deploy/local/labjournal up does): creating roles needs
-- a privilege the schema owner should not have.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${query_role}') THEN
        RAISE EXCEPTION 'role ${query_role} is missing: create it before migrating (CREATE ROLE ${query_role} LOGIN PASSWORD ...); deploy/local/labjournal up does';
    END IF;
END $$;

-- What query-service writes: tenants and API keys (administration). api_keys is read before any tenant is known
-- (authentication by key hash), so it has no tenant policy.
GRANT SELECT, INSERT, UPDATE ON tenants, api_keys TO ${query_role};
-- The schema version query-service checks at start.
GRANT SELECT ON flyway_schema_history TO ${query_role};

GRANT SELECT ON teams, projects, runs, run_params, run_tags, run_notes, run_artifacts, metric_summaries, metric_keys,
    metric_points, metric_history TO ${query_role};

ALTER TABLE teams ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_params ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_tags ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE run_artifacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_summaries ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE metric_points ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_wall ON teams FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON projects FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON runs FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON run_params FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON run_tags FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON run_notes FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON run_artifacts FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON metric_summaries FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
CREATE POLICY tenant_wall ON metric_keys FOR SELECT TO ${query_role}
    USING (tenant_id = current_setting('labjournal.tenant', true));
-- Points carry only a run number: a point is visible when its run is (the subquery is itself under the runs policy).
CREATE POLICY tenant_wall ON metric_points FOR SELECT TO ${query_role}
    USING (EXISTS (SELECT 1 FROM runs r WHERE r.ref = metric_points.run_ref));

-- The published view of metric history reads with the rights of its caller, so the policies above apply through it.
ALTER VIEW metric_history SET (security_invoker = true);
