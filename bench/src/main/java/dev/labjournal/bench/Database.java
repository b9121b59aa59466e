package dev.labjournal.bench;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** PostgreSQL: the COPY baseline, and reading what ingest committed. */
public final class Database {

    private Database() {}

    static Connection connect(Options options) {
        Properties props = new Properties();
        props.setProperty("user", options.dbUser());
        props.setProperty("password", options.dbPassword());
        props.setProperty("connectTimeout", "10");
        props.setProperty("ApplicationName", "labjournal-bench");
        try {
            return DriverManager.getConnection(options.jdbcUrl(), props);
        } catch (SQLException e) {
            throw new BenchException(
                    BenchException.UNREACHABLE,
                    "PostgreSQL is not reachable at " + options.jdbcUrl() + " as " + options.dbUser() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** Creates a scratch table shaped like metric_points: same columns and index, logged like the real one. */
    static void createScratch(Connection conn, String table) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE " + table + " (LIKE metric_points INCLUDING ALL)");
        }
    }

    static void dropScratch(Connection conn, String table) {
        try (Statement st = conn.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
        } catch (SQLException e) {
            System.out.println("  warning: could not drop the scratch table " + table + ": " + e.getMessage());
        }
    }

    /** One COPY statement (its own transaction, committed when this returns); returns the rows it wrote. */
    static long copy(Connection conn, String table, Options.CopyFormat format, List<ByteBuffer> data)
            throws SQLException {
        String formatClause = format == Options.CopyFormat.BINARY ? "(FORMAT binary)" : "(FORMAT csv)";
        CopyIn in = conn.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " (run_ref, key_ref, step, time, value) FROM STDIN " + formatClause);
        for (ByteBuffer chunk : data) {
            in.writeToCopy(chunk.array(), chunk.arrayOffset(), chunk.limit());
        }
        return in.endCopy();
    }

    static long scalar(Connection conn, String sql, String tenant) throws SQLException {
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The ingest transactions that wrote a tenant's events: processed_events.processed_at defaults to now(), the
     * start time of the transaction, so the events of one consumer batch share one value.
     */
    record Batches(int transactions, long minEvents, long maxEvents, double avgEvents, double spanSeconds) {}

    static Batches batches(Connection conn, String tenant) throws SQLException {
        String sql = "SELECT count(*), min(n), max(n), avg(n),"
                + " coalesce(extract(epoch FROM max(at) - min(at)), 0)"
                + " FROM (SELECT processed_at AS at, count(*) AS n FROM processed_events"
                + "       WHERE tenant_id = ? GROUP BY processed_at) b";
        try (PreparedStatement st = conn.prepareStatement(sql)) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new Batches(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5));
            }
        }
    }

    /** Events per ingest transaction, in commit order (for the histogram line). */
    static List<Long> batchSizes(Connection conn, String tenant) throws SQLException {
        List<Long> sizes = new ArrayList<>();
        try (PreparedStatement st = conn.prepareStatement("SELECT count(*) FROM processed_events WHERE tenant_id = ?"
                + " GROUP BY processed_at ORDER BY processed_at")) {
            st.setString(1, tenant);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    sizes.add(rs.getLong(1));
                }
            }
        }
        return sizes;
    }

    /**
     * Deletes what ingest wrote for the benchmark's tenant (its rows in every run table, in foreign-key order, in one
     * transaction); the tenant itself stays. The search index keeps its documents of these runs.
     */
    public static void deleteTenantData(Connection conn, String tenant) throws SQLException {
        List<String> tables = List.of(
                "metric_summaries",
                "run_params",
                "run_tags",
                "run_notes",
                "run_artifacts",
                "processed_events",
                "runs",
                "metric_keys",
                "projects",
                "teams");
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try {
            for (String byRun : List.of("metric_points", "metric_rollups")) {
                try (PreparedStatement st = conn.prepareStatement(
                        "DELETE FROM " + byRun + " WHERE run_ref IN (SELECT ref FROM runs WHERE tenant_id = ?)")) {
                    st.setString(1, tenant);
                    st.executeUpdate();
                }
            }
            for (String table : tables) {
                try (PreparedStatement st = conn.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
                    st.setString(1, tenant);
                    st.executeUpdate();
                }
            }
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }

    /** Autovacuum workers at work (they would compete with the next phase). */
    static int autovacuumWorkers(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Other sessions running a statement on this database right now. */
    static int otherActiveSessions(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                        + " AND datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
