package dev.labjournal.query.alerts.rules.service;

import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.alerts.AlertsConfig;
import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.AlertRule.Channel;
import dev.labjournal.query.alerts.rules.repository.RuleRepository;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/** Creates, lists, reads and deletes a tenant's alert rules, each in one transaction of the tenant. */
@ApplicationScoped
public class RuleService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final RuleRepository rules;
    private final AlertsConfig config;

    public RuleService(Pool pool, RuleRepository rules, AlertsConfig config) {
        this.pool = pool;
        this.rules = rules;
        this.config = config;
    }

    /** A stored rule and the signing secret of each channel by position (null where none): shown once. */
    public record CreatedRule(AlertRule rule, List<String> secrets) {}

    /** A page of rules; {@code next} is where the next page starts after a full page, else null. */
    public record RulePage(List<AlertRule> rules, RuleCursor next) {}

    public Uni<CreatedRule> create(TenantScope scope, AlertRule rule) {
        String id = "rule_" + HexFormat.of().formatHex(random(12));
        List<String> secrets = new ArrayList<>();
        for (Channel channel : rule.channels()) {
            secrets.add(channel.type().equals(Channel.WEBHOOK) ? webhookSecret() : null);
        }
        return scope.read(
                pool,
                conn -> rules.count(conn).chain(count -> {
                    if (count >= config.maxRulesPerTenant()) {
                        return Uni.createFrom()
                                .failure(ApiException.conflict("this tenant has " + count
                                        + " alert rules, the most allowed:" + " delete one first"));
                    }
                    return rules.insert(conn, id, rule, secrets).map(stored -> new CreatedRule(stored, secrets));
                }));
    }

    /** Null when the tenant has no live rule with this id. */
    public Uni<AlertRule> find(TenantScope scope, String id) {
        return scope.read(pool, conn -> rules.find(conn, id));
    }

    /** Rules after {@code after} (null: from the first), oldest first. */
    public Uni<RulePage> page(TenantScope scope, RuleCursor after, int limit) {
        return scope.read(
                        pool,
                        conn -> rules.page(
                                conn,
                                after == null ? null : after.createdAt(),
                                after == null ? null : after.id(),
                                limit))
                .map(found -> new RulePage(
                        found, found.size() == limit ? RuleCursor.after(found.get(found.size() - 1)) : null));
    }

    /** False when the tenant has no live rule with this id. */
    public Uni<Boolean> delete(TenantScope scope, String id) {
        return scope.read(pool, conn -> rules.delete(conn, id));
    }

    /** A Standard Webhooks signing secret: {@code whsec_} and the base64 of 24 random bytes. */
    private static String webhookSecret() {
        return "whsec_" + Base64.getEncoder().encodeToString(random(24));
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }
}
