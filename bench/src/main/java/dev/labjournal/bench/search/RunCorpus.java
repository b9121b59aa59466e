package dev.labjournal.bench.search;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The benchmark's runs, generated on the fly and deterministic by run number: 20 teams with three projects and five
 * users each, a third of the runs failed (one of {@link Failures}' families), a few killed, the rest succeeded;
 * params, tags and three metrics with a few points each. A run is three events on the run's key: run.started (name,
 * team, user, params, tags), run.metrics and run.finished.
 */
final class RunCorpus {

    static final String[] TEAMS = {
        "vision", "nlp", "speech", "recsys", "rl", "robotics", "search", "ads", "fraud", "forecasting",
        "genomics", "medical", "maps", "translation", "ocr", "video", "audio", "safety", "infra", "research"
    };
    static final String[] OPTIMIZERS = {"adamw", "sgd", "lion", "adafactor"};
    static final String[] LEARNING_RATES = {"0.1", "0.01", "0.001", "0.0003", "0.0001"};
    static final String[] ENVS = {"prod", "dev", "staging"};
    static final String[] GPUS = {"a100", "h100", "l4", "v100"};
    static final String[] MODELS = {"resnet50", "vit-b16", "bert-base", "llama-7b", "whisper-small", "xgboost"};

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event to publish: its run id (the Kafka key) and its serialised CloudEvent. */
    record Event(String runId, byte[] value) {}

    private final String tenant;
    private final Instant base;

    RunCorpus(String tenant, Instant base) {
        this.tenant = tenant;
        this.base = base;
    }

    static String runId(int run) {
        return String.format("run-%06d", run);
    }

    static String team(int run) {
        return TEAMS[run % TEAMS.length];
    }

    static String project(int run) {
        return team(run) + "-" + (run / TEAMS.length) % 3;
    }

    /** A third of the runs fail; one in twenty is killed; the rest succeed. */
    static String status(int run) {
        if (run % 3 == 0) {
            return "failed";
        }
        return run % 20 == 1 ? "killed" : "succeeded";
    }

    static String param(int run, String key) {
        Random random = new Random(run * 7919L + key.hashCode());
        return switch (key) {
            case "lr" -> LEARNING_RATES[random.nextInt(LEARNING_RATES.length)];
            case "optimizer" -> OPTIMIZERS[random.nextInt(OPTIMIZERS.length)];
            case "model" -> MODELS[random.nextInt(MODELS.length)];
            case "batch_size" -> String.valueOf(32 << random.nextInt(6));
            default -> String.valueOf(random.nextInt(10));
        };
    }

    static String env(int run) {
        return ENVS[run % ENVS.length];
    }

    /** The three events of a run, in the order they are published. */
    List<Event> events(int run) {
        String id = runId(run);
        Random random = new Random(run);
        Instant start = base.plusSeconds(run);
        ObjectNode started = data();
        started.put("name", param(run, "model") + " " + OPTIMIZERS[run % OPTIMIZERS.length] + " #" + run);
        started.put("team", team(run));
        started.put("user", team(run) + "-user-" + (run % 5));
        ObjectNode params = started.putObject("params");
        for (String key : List.of("lr", "optimizer", "model", "batch_size", "seed")) {
            params.put(key, param(run, key));
        }
        ObjectNode tags = started.putObject("tags");
        tags.put("env", env(run));
        tags.put("gpu", GPUS[random.nextInt(GPUS.length)]);

        ObjectNode metrics = data();
        ArrayNode points = metrics.putArray("metrics");
        for (int step = 0; step < 5; step++) {
            double decay = Math.exp(-step / 2.0);
            point(points, "loss", 2.5 * decay + random.nextDouble() / 10, step * 100L);
            point(points, "val_loss", 2.7 * decay + random.nextDouble() / 10, step * 100L);
            point(points, "accuracy", 1 - 0.9 * decay - random.nextDouble() / 20, step * 100L);
        }

        ObjectNode finished = data();
        String status = status(run);
        finished.put("status", status);
        if (status.equals("failed")) {
            Failures.Failure f = Failures.of(run / 3, random);
            ObjectNode failure = finished.putObject("failure");
            failure.put("type", f.type());
            failure.put("message", f.message());
            failure.put("stacktrace", f.stacktrace());
            failure.put("step", f.step());
        }
        return List.of(
                event(id, "run.started", start, started),
                event(id, "run.metrics", start.plusSeconds(60), metrics),
                event(id, "run.finished", start.plusSeconds(120), finished));
    }

    /** The tenant of every run of the corpus. */
    String tenant() {
        return tenant;
    }

    /** A failed run of its own, carrying a unique word in its failure message (the freshness probe). */
    List<Event> probe(String runId, String word) {
        Instant now = Instant.now();
        ObjectNode started = data();
        started.put("name", "freshness probe " + word);
        started.put("team", TEAMS[0]);
        ObjectNode finished = data();
        finished.put("status", "failed");
        ObjectNode failure = finished.putObject("failure");
        failure.put("type", "RuntimeError");
        failure.put("message", "probe " + word + " failed");
        return List.of(event(runId, "run.started", now, started), event(runId, "run.finished", now, finished));
    }

    /** A run.metrics event of {@code count} points of the key {@code load/loss} from {@code firstStep} on. */
    Event loadPoints(String runId, long firstStep, int count) {
        ObjectNode metrics = data();
        ArrayNode points = metrics.putArray("metrics");
        for (int p = 0; p < count; p++) {
            point(points, "load/loss", 1.0 / (firstStep + p + 1), firstStep + p);
        }
        return event(runId, "run.metrics", Instant.now(), metrics);
    }

    private static void point(ArrayNode points, String key, double value, long step) {
        points.addObject().put("key", key).put("value", value).put("step", step);
    }

    private static ObjectNode data() {
        return JSON.createObjectNode();
    }

    private Event event(String runId, String type, Instant time, ObjectNode data) {
        ObjectNode event = JSON.createObjectNode();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/tenants/" + tenant + "/projects/" + projectOf(runId));
        event.put("type", "dev.labjournal." + type + ".v1");
        event.put("subject", runId);
        event.put("time", time.toString());
        event.put("tenant", tenant);
        event.put("datacontenttype", "application/json");
        event.set("data", data);
        try {
            return new Event(runId, JSON.writeValueAsString(event).getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String projectOf(String runId) {
        if (!runId.startsWith("run-")) {
            return "freshness";
        }
        return project(Integer.parseInt(runId.substring(4)));
    }
}
