package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The second tenant wall: PostgreSQL row-level security behind query-service's own filters. Deliberately unfiltered
 * SQL, run as the role query-service connects as, returns only the rows of the tenant set for the transaction, and
 * nothing at all without one; the owner role sees both tenants' rows, so the data being hidden is really there.
 */
class RowSecurityIT {

    /** Every relation the query role may read that holds run data, with how its rows name their tenant. */
    private static final Map<String, String> TENANT_OF_ROW = Map.of(
            "runs", "tenant_id",
            "run_params", "tenant_id",
            "run_tags", "tenant_id",
            "run_notes", "tenant_id",
            "metric_summaries", "tenant_id",
            "metric_keys", "tenant_id",
            "projects", "tenant_id",
            "metric_history", "tenant_id",
            "metric_points", "(SELECT r.tenant_id FROM runs r WHERE r.ref = run_ref)",
            "metric_rollups", "(SELECT r.tenant_id FROM runs r WHERE r.ref = run_ref)");

    private static TestTenant a;
    private static TestTenant b;

    @BeforeAll
    static void twoTenantsWithRuns() throws Exception {
        Platform.ensureUp();
        a = TestTenant.create("wall-a");
        b = TestTenant.create("wall-b");
        for (TestTenant tenant : List.of(a, b)) {
            String runId = "run-" + UUID.randomUUID();
            Platform.Reply reply = Events.postBatch(
                    tenant.ingestKey(),
                    Events.started(tenant.id(), "vision", runId, "resnet of " + tenant.id()),
                    Events.metrics(tenant.id(), "vision", runId, 0, 10),
                    Events.note(tenant.id(), "vision", runId, "note of " + tenant.id()));
            assertThat(reply.status()).as("ingest of %s", tenant.id()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ownerCount("metric_history", a.id()) == 11 && ownerCount("metric_history", b.id()) == 11);
    }

    @Test
    void unfilteredReadsOfTheQueryRoleSeeOnlyTheTenantOfTheTransaction() throws Exception {
        for (var relation : TENANT_OF_ROW.entrySet()) {
            Map<String, Long> seenAsB = tenantsSeen(relation.getKey(), relation.getValue(), b.id());
            assertThat(seenAsB)
                    .as("%s read with no WHERE clause as the query role, tenant %s set", relation.getKey(), b.id())
                    .containsOnlyKeys(b.id())
                    .containsEntry(b.id(), ownerCount(relation.getKey(), b.id()));
            assertThat(ownerCount(relation.getKey(), a.id()))
                    .as("the owner sees tenant A's rows of %s (what the wall hides exists)", relation.getKey())
                    .isPositive();
        }
    }

    @Test
    void withoutATenantTheQueryRoleSeesNoRunData() throws Exception {
        try (Connection conn = queryRole()) {
            for (String relation : TENANT_OF_ROW.keySet()) {
                try (Statement st = conn.createStatement();
                        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + relation)) {
                    rs.next();
                    assertThat(rs.getLong(1))
                            .as("rows of %s with no tenant set", relation)
                            .isZero();
                }
            }
        }
    }

    @Test
    void theQueryRoleCannotWriteRunData() throws Exception {
        try (Connection conn = queryRole();
                Statement st = conn.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM runs"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void queryServiceConnectsAsTheQueryRole() throws Exception {
        try (Connection conn = owner();
                PreparedStatement st = conn.prepareStatement(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND usename = ?")) {
            st.setString(1, queryRoleName());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1))
                        .as("connections of query-service as %s", queryRoleName())
                        .isPositive();
            }
        }
    }

    /** How many rows of each tenant an unfiltered read of the relation returns to the query role. */
    private static Map<String, Long> tenantsSeen(String relation, String tenantOfRow, String tenant)
            throws SQLException {
        Map<String, Long> seen = new TreeMap<>();
        try (Connection conn = queryRole()) {
            conn.setAutoCommit(false);
            try (PreparedStatement set = conn.prepareStatement("SELECT set_config('labjournal.tenant', ?, true)")) {
                set.setString(1, tenant);
                set.execute();
            }
            List<String> rows = new ArrayList<>();
            try (Statement st = conn.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + tenantOfRow + " FROM " + relation)) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            conn.rollback();
            rows.forEach(t -> seen.merge(t, 1L, Long::sum));
        }
        return seen;
    }

    private static long ownerCount(String relation, String tenant) throws SQLException {
        String tenantOfRow = TENANT_OF_ROW.get(relation);
        try (Connection conn = owner();
                PreparedStatement st =
                        conn.prepareStatement("SELECT count(*) FROM " + relation + " WHERE " + tenantOfRow + " = ?")) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection owner() throws SQLException {
        return Database.connect();
    }

    private static Connection queryRole() throws SQLException {
        return DriverManager.getConnection(
                Platform.JDBC_URL, queryRoleName(), Platform.env("LJ_QUERY_DB_PASSWORD", "labjournal_query"));
    }

    private static String queryRoleName() {
        return Platform.env("LJ_QUERY_DB_USER", "labjournal_query");
    }
}
