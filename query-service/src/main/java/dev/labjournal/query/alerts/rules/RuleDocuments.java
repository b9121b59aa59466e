package dev.labjournal.query.alerts.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.alerts.rules.AlertRule.Baseline;
import dev.labjournal.query.alerts.rules.AlertRule.BaselineType;
import dev.labjournal.query.alerts.rules.AlertRule.Channel;
import dev.labjournal.query.alerts.rules.AlertRule.Evaluate;
import dev.labjournal.query.alerts.rules.AlertRule.Goal;
import dev.labjournal.query.alerts.rules.AlertRule.Kind;
import dev.labjournal.query.alerts.rules.AlertRule.MetricCheck;
import dev.labjournal.query.alerts.rules.AlertRule.Tolerance;
import dev.labjournal.query.search.filter.Filter;
import dev.labjournal.query.search.filter.FilterException;
import dev.labjournal.query.search.filter.FilterParser;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rule document of the API, read strictly (every member known, every value checked; a bad one is a 400
 * {@code invalid_rule} with the JSON path of the member and the reason, a bad filter the filter parser's
 * {@code invalid_filter} with its column) and written back in its normal form (defaults filled in, no secrets). The
 * stored definition is that normal form, read back with the same code.
 */
public final class RuleDocuments {

    static final int MAX_NAME = 200;
    static final int MAX_KEY = 250;
    static final int MAX_URL = 2048;
    static final int MAX_CHANNELS = 10;
    static final int MAX_MEAN_OF_LAST = 100;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> MEMBERS = Set.of(
            "name",
            "project",
            "filter",
            "kind",
            "metric",
            "goal",
            "baseline",
            "tolerance",
            "evaluate",
            "min_step",
            "channels");
    private static final Set<String> METRIC_MEMBERS =
            Set.of("metric", "goal", "baseline", "tolerance", "evaluate", "min_step");
    private static final Set<String> CHANNEL_TYPES = Set.of("webhook", "sse", "kafka");

    private RuleDocuments() {}

    /** Reads a rule document; 400 for anything that is not a valid rule. */
    public static AlertRule parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("$", "the body must be a JSON object (a rule)");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!MEMBERS.contains(name)) {
                throw invalid("$." + name, "unknown member; a rule has " + String.join(", ", sorted(MEMBERS)));
            }
        }
        String name = text(body, "name", MAX_NAME, true);
        String project = text(body, "project", MAX_KEY, false);
        String filterText = optionalString(body, "filter");
        Filter selector = null;
        if (filterText != null) {
            try {
                selector = FilterParser.parse(filterText);
            } catch (FilterException e) {
                throw ApiException.badRequest(
                        "invalid_filter", e.getMessage(), Map.of("path", "$.filter", "column", e.column()));
            }
        }
        if (project == null && filterText == null) {
            throw invalid("$.project", "a rule watches a project, a filter or both: give project or filter");
        }
        Kind kind = choice(body, "kind", Kind.class, true);
        MetricCheck check = null;
        if (kind == Kind.METRIC_REGRESSION) {
            check = metricCheck(body);
        } else {
            for (String member : METRIC_MEMBERS) {
                if (body.has(member)) {
                    throw invalid("$." + member, "only a metric_regression rule takes " + member);
                }
            }
        }
        return new AlertRule(null, name, project, filterText, selector, kind, check, channels(body), null);
    }

    /** The normal form of a rule, without id, creation time or secrets: what is stored as its definition. */
    public static ObjectNode definition(AlertRule rule) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("name", rule.name());
        doc.put("project", rule.project());
        doc.put("filter", rule.filter());
        doc.put("kind", rule.kind().wireName());
        MetricCheck check = rule.check();
        if (check != null) {
            doc.put("metric", check.metric());
            doc.put("goal", check.goal().wireName());
            ObjectNode baseline = doc.putObject("baseline")
                    .put("type", check.baseline().type().wireName());
            switch (check.baseline().type()) {
                case MEAN_OF_LAST -> baseline.put("n", check.baseline().n());
                case RUN -> baseline.put("run_id", check.baseline().runId());
                case THRESHOLD -> baseline.put("value", check.baseline().value());
                default -> {}
            }
            doc.putObject("tolerance")
                    .put(
                            check.tolerance().relative() ? "relative" : "absolute",
                            check.tolerance().amount());
            doc.put("evaluate", check.evaluate().wireName());
            if (check.evaluate() == Evaluate.LIVE) {
                doc.put("min_step", check.minStep());
            }
        }
        ArrayNode channels = doc.putArray("channels");
        for (Channel channel : rule.channels()) {
            ObjectNode c = channels.addObject().put("type", channel.type());
            if (channel.url() != null) {
                c.put("url", channel.url());
            }
        }
        return doc;
    }

    /** The rule as the API shows it: its id first, then its definition, then its creation time. */
    public static ObjectNode view(AlertRule rule) {
        ObjectNode doc = JSON.createObjectNode().put("id", rule.id());
        doc.setAll(definition(rule));
        doc.put("created_at", rule.createdAt() == null ? null : rule.createdAt().toString());
        return doc;
    }

    private static MetricCheck metricCheck(JsonNode body) {
        String metric = text(body, "metric", MAX_KEY, true);
        Goal goal = choice(body, "goal", Goal.class, true);
        Baseline baseline = baseline(body.get("baseline"));
        Tolerance tolerance = tolerance(body.get("tolerance"));
        Evaluate evaluate = choice(body, "evaluate", Evaluate.class, false);
        if (evaluate == null) {
            evaluate = Evaluate.ON_FINISH;
        }
        long minStep = 0;
        JsonNode step = body.get("min_step");
        if (step != null && !step.isNull()) {
            if (evaluate != Evaluate.LIVE) {
                throw invalid("$.min_step", "min_step applies to evaluate \"live\" only");
            }
            if (!step.canConvertToLong() || !step.isIntegralNumber() || step.asLong() < 0) {
                throw invalid("$.min_step", "must be a whole number of at least 0");
            }
            minStep = step.asLong();
        }
        return new MetricCheck(metric, goal, baseline, tolerance, evaluate, minStep);
    }

    private static Baseline baseline(JsonNode node) {
        if (node == null || node.isNull()) {
            throw invalid("$.baseline", "required: {\"type\": best | previous | mean_of_last | run | threshold}");
        }
        if (!node.isObject()) {
            throw invalid("$.baseline", "must be an object such as {\"type\": \"best\"}");
        }
        BaselineType type = choice(node, "type", BaselineType.class, true, "$.baseline.type");
        Set<String> allowed = switch (type) {
            case MEAN_OF_LAST -> Set.of("type", "n");
            case RUN -> Set.of("type", "run_id");
            case THRESHOLD -> Set.of("type", "value");
            default -> Set.of("type");
        };
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw invalid(
                        "$.baseline." + name,
                        "unknown member for baseline " + type.wireName() + "; it takes "
                                + String.join(", ", sorted(allowed)));
            }
        }
        return switch (type) {
            case MEAN_OF_LAST -> {
                JsonNode n = node.get("n");
                if (n == null || !n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > MAX_MEAN_OF_LAST) {
                    throw invalid("$.baseline.n", "required: a whole number from 1 to " + MAX_MEAN_OF_LAST);
                }
                yield new Baseline(type, n.asInt(), null, null);
            }
            case RUN -> new Baseline(type, null, text(node, "run_id", MAX_KEY, true, "$.baseline.run_id"), null);
            case THRESHOLD -> {
                JsonNode value = node.get("value");
                if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
                    throw invalid("$.baseline.value", "required: a finite number");
                }
                yield new Baseline(type, null, null, value.asDouble());
            }
            default -> new Baseline(type, null, null, null);
        };
    }

    /** No tolerance: any change for the worse is a regression. */
    private static Tolerance tolerance(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Tolerance(false, 0);
        }
        if (!node.isObject() || node.size() != 1 || !(node.has("relative") || node.has("absolute"))) {
            throw invalid("$.tolerance", "must be {\"relative\": <fraction>} or {\"absolute\": <amount>}, exactly one");
        }
        boolean relative = node.has("relative");
        String path = "$.tolerance." + (relative ? "relative" : "absolute");
        JsonNode amount = node.get(relative ? "relative" : "absolute");
        if (!amount.isNumber() || !Double.isFinite(amount.asDouble()) || amount.asDouble() < 0) {
            throw invalid(path, "must be a finite number of at least 0");
        }
        return new Tolerance(relative, amount.asDouble());
    }

    private static List<Channel> channels(JsonNode body) {
        JsonNode node = body.get("channels");
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw invalid("$.channels", "required: a non-empty list of {\"type\": webhook | sse | kafka}");
        }
        if (node.size() > MAX_CHANNELS) {
            throw invalid("$.channels", "at most " + MAX_CHANNELS + " channels");
        }
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "$.channels[" + i + "]";
            JsonNode channel = node.get(i);
            if (!channel.isObject()) {
                throw invalid(path, "must be an object such as {\"type\": \"sse\"}");
            }
            JsonNode type = channel.get("type");
            if (type == null || !type.isTextual() || !CHANNEL_TYPES.contains(type.textValue())) {
                throw invalid(path + ".type", "required: one of webhook, sse, kafka");
            }
            boolean webhook = type.textValue().equals(Channel.WEBHOOK);
            Iterator<String> names = channel.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!name.equals("type") && !(webhook && name.equals("url"))) {
                    throw invalid(
                            path + "." + name,
                            "unknown member for a " + type.textValue() + " channel; it takes "
                                    + (webhook ? "type, url" : "type"));
                }
            }
            channels.add(new Channel(type.textValue(), webhook ? webhookUrl(channel, path + ".url") : null));
        }
        return channels;
    }

    private static String webhookUrl(JsonNode channel, String path) {
        String url = text(channel, "url", MAX_URL, true, path);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalid(path, "not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid(path, "only http and https URLs are allowed");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(path, "the URL needs a host");
        }
        if (uri.getUserInfo() != null) {
            throw invalid(path, "the URL must not carry credentials");
        }
        return url;
    }

    private static String text(JsonNode node, String member, int maxLength, boolean required) {
        return text(node, member, maxLength, required, "$." + member);
    }

    private static String text(JsonNode node, String member, int maxLength, boolean required, String path) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid(path, "required");
            }
            return null;
        }
        if (!value.isTextual() || value.textValue().isBlank()) {
            throw invalid(path, "must be a non-empty string");
        }
        if (value.textValue().length() > maxLength) {
            throw invalid(path, "at most " + maxLength + " characters");
        }
        return value.textValue();
    }

    private static String optionalString(JsonNode node, String member) {
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("$." + member, "must be a string");
        }
        return value.textValue();
    }

    private static <E extends Enum<E>> E choice(JsonNode node, String member, Class<E> type, boolean required) {
        return choice(node, member, type, required, "$." + member);
    }

    private static <E extends Enum<E>> E choice(
            JsonNode node, String member, Class<E> type, boolean required, String path) {
        String names = Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        JsonNode value = node.get(member);
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid(path, "required: one of " + names);
            }
            return null;
        }
        if (value.isTextual()) {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().toLowerCase(Locale.ROOT).equals(value.textValue())) {
                    return constant;
                }
            }
        }
        throw invalid(path, "unknown value " + value + "; one of " + names);
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static ApiException invalid(String path, String reason) {
        return ApiException.badRequest("invalid_rule", path + ": " + reason, Map.of("path", path, "reason", reason));
    }
}
