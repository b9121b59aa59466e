package dev.labjournal.query.alerts.rules.service;

import dev.labjournal.query.alerts.delivery.kafka.AlertPublisher;
import dev.labjournal.query.alerts.delivery.service.Attempt;
import dev.labjournal.query.alerts.delivery.webhook.WebhookSender;
import dev.labjournal.query.alerts.rules.AlertRule;
import dev.labjournal.query.alerts.rules.repository.RuleRepository;
import dev.labjournal.query.alerts.rules.repository.RuleRepository.StoredChannel;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Test-fires a rule: a synthetic alert marked {@code "test": true} is sent once through each webhook and Kafka channel
 * of the rule, exactly as a real alert would be (signed, as a CloudEvent), and each channel's outcome is answered. It is
 * not stored: no alert, no delivery log, no sequence number, so it is never listed, streamed or redelivered. The rule
 * and its channels are read under the tenant wall; the sends happen after that transaction.
 */
@ApplicationScoped
public class TestFire {

    /** What a test-fire gave: the alert sent and the outcome of each channel, by position. */
    public record Result(JsonObject alert, List<ChannelOutcome> channels) {}

    /**
     * One channel's outcome.
     *
     * @param outcome {@code delivered}, {@code failed} or {@code skipped} (an SSE channel, a disabled channel)
     * @param statusCode the webhook receiver's HTTP status, or null
     * @param durationMs how long the attempt took, or null when none was made
     * @param error why it failed or was skipped, or null when delivered
     */
    public record ChannelOutcome(
            int position,
            String type,
            String url,
            String outcome,
            Integer statusCode,
            Integer durationMs,
            String error) {}

    /** The run id of every test alert (and its Kafka key): no run has it unless a client named one so. */
    static final String TEST_RUN = "labjournal-test-alert";

    static final String SSE_SKIPPED = "the stream carries stored alerts only; a test alert is not stored";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final RuleRepository rules;
    private final WebhookSender webhooks;
    private final AlertPublisher kafka;

    public TestFire(Pool pool, RuleRepository rules, WebhookSender webhooks, AlertPublisher kafka) {
        this.pool = pool;
        this.rules = rules;
        this.webhooks = webhooks;
        this.kafka = kafka;
    }

    /** Null when the tenant has no live rule with this id. */
    public Uni<Result> fire(TenantScope scope, String ruleId) {
        return scope.read(
                        pool,
                        conn -> rules.find(conn, ruleId)
                                .chain(rule -> rule == null
                                        ? Uni.createFrom().nullItem()
                                        : rules.channels(conn, ruleId).map(channels -> new Loaded(rule, channels))))
                .chain(loaded -> {
                    if (loaded == null) {
                        return Uni.createFrom().nullItem();
                    }
                    JsonObject alert = document(loaded.rule(), Instant.now());
                    List<Uni<ChannelOutcome>> sends = new ArrayList<>();
                    for (StoredChannel channel : loaded.channels()) {
                        sends.add(send(scope.tenant(), loaded.rule(), channel, alert));
                    }
                    return Uni.join().all(sends).andFailFast().map(outcomes -> new Result(alert, outcomes));
                });
    }

    private record Loaded(AlertRule rule, List<StoredChannel> channels) {}

    private Uni<ChannelOutcome> send(String tenant, AlertRule rule, StoredChannel channel, JsonObject alert) {
        if (channel.disabled()) {
            return Uni.createFrom().item(skipped(channel, "the channel is disabled: " + channel.disabledReason()));
        }
        Uni<Attempt> attempt = switch (channel.type()) {
            case "webhook" ->
                webhooks.send(
                        channel.url(),
                        channel.secret(),
                        alert.getString("id"),
                        alert.encode().getBytes(StandardCharsets.UTF_8));
            case "kafka" -> kafka.publish(tenant, rule.id(), TEST_RUN, alert);
            default -> null;
        };
        if (attempt == null) {
            return Uni.createFrom().item(skipped(channel, SSE_SKIPPED));
        }
        return attempt.map(a -> new ChannelOutcome(
                channel.position(),
                channel.type(),
                channel.url(),
                a.succeeded() ? "delivered" : "failed",
                a.statusCode(),
                a.durationMs(),
                a.error()));
    }

    private static ChannelOutcome skipped(StoredChannel channel, String reason) {
        return new ChannelOutcome(channel.position(), channel.type(), channel.url(), "skipped", null, null, reason);
    }

    /**
     * The synthetic alert: a document of the rule's alerts' shape (alert.fired.v1) about no real run, marked {@code
     * "test": true}: a random id ({@code alrt_} and 24 hex digits, so a receiver's repeat filter drops no real alert
     * for it), the run {@value #TEST_RUN}, no links, and null where a real alert would carry the run's values.
     */
    static JsonObject document(AlertRule rule, Instant time) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return new JsonObject()
                .put("id", "alrt_" + HexFormat.of().formatHex(random))
                .put("rule_id", rule.id())
                .put("rule_name", rule.name())
                .put("kind", rule.kind().wireName())
                .put("project", rule.project())
                .put("run_id", TEST_RUN)
                .put("run_name", "test alert of " + rule.name())
                .put("metric", rule.check() == null ? null : rule.check().metric())
                .put("observed", null)
                .put("baseline", null)
                .put("baseline_run_ids", null)
                .put("delta", null)
                .put("relative_delta", null)
                .put("step", null)
                .put("time", time.toString())
                .put("links", new JsonObject())
                .put("failure", null)
                .put("duplicates", null)
                .put("test", true);
    }
}
