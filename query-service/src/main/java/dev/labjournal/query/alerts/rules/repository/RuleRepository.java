package dev.labjournal.query.alerts.rules.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.alerts.AlertsConfig;
import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.AlertRule.Channel;
import dev.labjournal.query.alerts.rules.RuleDocuments;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The tenant's alert rules and their channels (migration V6), always within one tenant: every method takes a
 * connection of {@link TenantScope#read}. A deleted rule keeps its row (its alerts refer to it) with
 * {@code deleted_at} set, and is invisible here.
 */
@ApplicationScoped
public class RuleRepository {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger LOG = Logger.getLogger(RuleRepository.class);

    private final AlertsConfig config;

    public RuleRepository(AlertsConfig config) {
        this.config = config;
    }

    private static final String TENANT = "current_setting('labjournal.tenant')";

    private static final String INSERT = "INSERT INTO alert_rules (tenant_id, id, name, kind, project, filter,"
            + " definition) VALUES (" + TENANT + ", $1, $2, $3, $4, $5, $6) RETURNING created_at";

    private static final String INSERT_CHANNEL = "INSERT INTO alert_channels (tenant_id, rule_id, position, type, url,"
            + " secret) VALUES (" + TENANT + ", $1, $2, $3, $4, $5)";

    private static final String LIVE = " FROM alert_rules WHERE " + TenantScope.PREDICATE + " AND deleted_at IS NULL";

    private static final String ONE = "SELECT id, definition::text, created_at" + LIVE + " AND id = $1";

    private static final String PAGE = "SELECT id, definition::text, created_at" + LIVE
            + " AND (created_at, id) > ($1, $2) ORDER BY created_at, id LIMIT $3";

    private static final String ALL =
            "SELECT id, definition::text, created_at" + LIVE + " ORDER BY created_at, id" + " LIMIT $1";

    private static final String COUNT = "SELECT count(*)" + LIVE;

    private static final String CHANNELS =
            "SELECT position, type, url, secret, disabled_reason, disabled_at IS NOT NULL"
                    + " FROM alert_channels WHERE " + TenantScope.PREDICATE + " AND rule_id = $1 ORDER BY position";

    private static final String DELETE = "UPDATE alert_rules SET deleted_at = now() WHERE " + TenantScope.PREDICATE
            + " AND id = $1 AND deleted_at IS NULL";

    /**
     * Stores a new rule and its channels.
     *
     * @param secrets the signing secret of each channel, by position (null for channels that sign nothing)
     * @return the rule with its id and creation time
     */
    public Uni<AlertRule> insert(SqlConnection conn, String id, AlertRule rule, List<String> secrets) {
        JsonObject definition = new JsonObject(RuleDocuments.definition(rule).toString());
        Tuple row = Tuple.from(
                new Object[] {id, rule.name(), rule.kind().wireName(), rule.project(), rule.filter(), definition});
        return conn.preparedQuery(INSERT).execute(row).chain(inserted -> {
            OffsetDateTime createdAt = inserted.iterator().next().getOffsetDateTime(0);
            List<Tuple> channels = new ArrayList<>();
            for (int i = 0; i < rule.channels().size(); i++) {
                Channel channel = rule.channels().get(i);
                channels.add(Tuple.of(id, (short) i, channel.type(), channel.url(), secrets.get(i)));
            }
            return conn.preparedQuery(INSERT_CHANNEL).executeBatch(channels).replaceWith(rule.stored(id, createdAt));
        });
    }

    /** The live rule with this id, or null. */
    public Uni<AlertRule> find(SqlConnection conn, String id) {
        return conn.preparedQuery(ONE).execute(Tuple.of(id)).map(rows -> {
            List<AlertRule> rules = rules(rows);
            return rules.isEmpty() ? null : rules.get(0);
        });
    }

    /** Up to {@code limit} live rules after the one created at {@code afterTime} with {@code afterId}, oldest first. */
    public Uni<List<AlertRule>> page(SqlConnection conn, OffsetDateTime afterTime, String afterId, int limit) {
        if (afterTime == null) {
            return conn.preparedQuery(ALL).execute(Tuple.of(limit)).map(RuleRepository::rules);
        }
        return conn.preparedQuery(PAGE)
                .execute(Tuple.of(afterTime, afterId, limit))
                .map(RuleRepository::rules);
    }

    /** Every live rule of the tenant (at most {@link AlertsConfig#maxRulesPerTenant()}), oldest first. */
    public Uni<List<AlertRule>> live(SqlConnection conn) {
        return conn.preparedQuery(ALL)
                .execute(Tuple.of(config.maxRulesPerTenant()))
                .map(RuleRepository::rules);
    }

    /** A channel of a stored rule as its deliveries need it: with the webhook's URL and signing secret. */
    public record StoredChannel(
            int position, String type, String url, String secret, boolean disabled, String disabledReason) {}

    /** The channels of the rule with this id, by position (its signing secrets included: never shown by the API). */
    public Uni<List<StoredChannel>> channels(SqlConnection conn, String ruleId) {
        return conn.preparedQuery(CHANNELS).execute(Tuple.of(ruleId)).map(rows -> {
            List<StoredChannel> channels = new ArrayList<>();
            for (Row row : rows) {
                channels.add(new StoredChannel(
                        row.getShort(0),
                        row.getString(1),
                        row.getString(2),
                        row.getString(3),
                        row.getBoolean(5),
                        row.getString(4)));
            }
            return channels;
        });
    }

    /** How many live rules the tenant has. */
    public Uni<Long> count(SqlConnection conn) {
        return conn.preparedQuery(COUNT)
                .execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Marks the live rule deleted; false when there is none with this id. */
    public Uni<Boolean> delete(SqlConnection conn, String id) {
        return conn.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    /**
     * The rules of the rows. A stored definition that no longer reads as a valid rule (a limit lowered since it was
     * stored) is left out with an error in the log, rather than failing every evaluation of its tenant.
     */
    private static List<AlertRule> rules(RowSet<Row> rows) {
        List<AlertRule> rules = new ArrayList<>();
        for (Row row : rows) {
            try {
                rules.add(RuleDocuments.parse(JSON.readTree(row.getString(1)))
                        .stored(row.getString(0), row.getOffsetDateTime(2)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("PostgreSQL returned jsonb that is not JSON", e);
            } catch (ApiException e) {
                LOG.errorf(
                        "alert rule %s is left out: its stored definition is no longer valid: %s",
                        row.getString(0), e.getMessage());
            }
        }
        return rules;
    }
}
