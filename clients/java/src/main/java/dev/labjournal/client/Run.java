package dev.labjournal.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A run being recorded. Every log call only puts the event in the run's queue and returns: a background daemon
 * thread sends them in batches (up to {@link LabJournalConfig#maxBatchPoints()} points, or after
 * {@link LabJournalConfig#flushInterval()}), retrying while the server cannot be reached. When the queue is full the
 * oldest metric points are dropped (one warning); the start, params, tags, notes and the finish never are.
 *
 * <p>{@link #close()} finishes the run as succeeded unless {@link #fail(Throwable)} came first, and waits at most
 * {@link LabJournalConfig#closeTimeout()} for the queue to drain. A JVM that exits (SIGTERM, Ctrl-C, {@code
 * System.exit}) with the run still open finishes it as killed. Metric steps count up per key from 0 when not given.
 * Invalid keys are reported once per key as a warning and dropped: a training job never fails because of its journal.
 * Thread-safe.
 */
public final class Run implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LabJournal.class.getPackageName());
    private static final int MAX_ENTRIES_PER_EVENT = 1000;
    private static final Duration EXIT_FLUSH_TIMEOUT = Duration.ofSeconds(10);

    private final RunOptions options;
    private final LabJournalConfig config;
    private final HttpClient http;
    private final EventQueue queue;
    private final Thread sender;
    private final Thread exitHook;
    private final Map<String, Long> lastSteps = new HashMap<>();
    private final Set<String> warned = new HashSet<>();
    private Long highestStep;
    private boolean finished;
    private boolean closed;

    Run(RunOptions options, LabJournalConfig config, HttpClient http) {
        this.options = options;
        this.config = config;
        this.http = http;
        this.queue = new EventQueue(config.queueCapacity());
        enqueue(control("started", this::startedData));
        sender = new Thread(
                new Sender(queue, config, http, options.project(), options.runId(), this::heartbeat),
                "labjournal-run-" + options.runId());
        sender.setDaemon(true);
        sender.start();
        exitHook = new Thread(this::finishOnExit, "labjournal-exit-" + options.runId());
        try {
            Runtime.getRuntime().addShutdownHook(exitHook);
        } catch (IllegalStateException shuttingDown) {
            // A run started while the JVM exits: close() or nothing finishes it.
        }
    }

    /** The run id, as the REST API knows it ({@code GET /api/v1/runs/{id}}). */
    public String id() {
        return options.runId();
    }

    public String project() {
        return options.project();
    }

    /** Logs a point at the key's next step (0, then one more than the key's last). */
    public void logMetric(String key, double value) {
        point(key, value, null, Instant.now());
    }

    public void logMetric(String key, double value, long step) {
        point(key, value, step, Instant.now());
    }

    /** Logs one point per key, each at its key's next step. */
    public void logMetrics(Map<String, ? extends Number> metrics) {
        Instant now = Instant.now();
        metrics.forEach((key, value) -> point(key, value.doubleValue(), null, now));
    }

    /** Logs one point per key, all at this step. */
    public void logMetrics(Map<String, ? extends Number> metrics, long step) {
        Instant now = Instant.now();
        metrics.forEach((key, value) -> point(key, value.doubleValue(), step, now));
    }

    /** Logs a param (params are immutable: the same value again is a no-op, another value is refused). */
    public void logParam(String key, Object value) {
        logParams(Map.of(key, value));
    }

    public void logParams(Map<String, ?> params) {
        Map<String, String> valid = valid(params, Limits.PARAM_VALUE, "param");
        entries("params", valid);
    }

    /** Sets a tag (tags are mutable: the latest wins). */
    public void setTag(String key, String value) {
        setTags(Map.of(key, value));
    }

    public void setTags(Map<String, String> tags) {
        entries("tags", valid(tags, Limits.TAG_VALUE, "tag"));
    }

    /** Writes an observation to the run's journal. */
    public void note(String text) {
        note(NoteKind.OBSERVATION, text);
    }

    public synchronized void note(NoteKind kind, String text) {
        if (!accepting("note")) {
            return;
        }
        if (text == null || text.isEmpty()) {
            warnOnce("empty-note", "an empty note is not logged");
            return;
        }
        ObjectNode data = EventEncoder.JSON
                .createObjectNode()
                .put("kind", kind.wireName())
                .put("text", Limits.cut(text, Limits.NOTE));
        enqueue(control("note", () -> data));
    }

    /**
     * Finishes the run as failed, with the failure's class, message and stack trace (as printStackTrace writes it,
     * causes included); {@link #close()} then only delivers. A second finish is ignored.
     */
    public synchronized void fail(Throwable failure) {
        if (!accepting("fail")) {
            return;
        }
        finished = true;
        ObjectNode data = EventEncoder.JSON.createObjectNode().put("status", "failed");
        Failure.addTo(data, failure, highestStep);
        enqueue(control("finished", () -> data));
    }

    /** Finishes the run (succeeded unless it failed) and waits for its events to be delivered, at most closeTimeout. */
    @Override
    public void close() {
        finishAndDrain("succeeded", config.closeTimeout());
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting: the hook runs, and finds the run closed.
        }
    }

    private void finishOnExit() {
        finishAndDrain(
                "killed",
                config.closeTimeout().compareTo(EXIT_FLUSH_TIMEOUT) < 0 ? config.closeTimeout() : EXIT_FLUSH_TIMEOUT);
    }

    private void finishAndDrain(String status, Duration timeout) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (!finished) {
                finished = true;
                ObjectNode data = EventEncoder.JSON.createObjectNode().put("status", status);
                enqueue(control("finished", () -> data));
            }
        }
        queue.close(timeout);
        try {
            sender.join(timeout.plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long dropped = queue.dropped();
        if (dropped > 0) {
            LOG.log(
                    Level.WARNING,
                    "Lab Journal: run " + id() + " dropped " + dropped + " metric points while its queue of "
                            + config.queueCapacity() + " was full");
        }
    }

    private synchronized void point(String key, double value, Long step, Instant time) {
        if (!accepting("metric")) {
            return;
        }
        if (!Limits.isKey(key)) {
            warnOnce(
                    "key:" + key,
                    "metric key '" + key + "' is invalid (1 to 250 of A-Z a-z 0-9 _ - . / : and"
                            + " space): its points are dropped");
            return;
        }
        if (step != null && step < 0) {
            warnOnce("step:" + key, "metric " + key + " at negative step " + step + ": such points are dropped");
            return;
        }
        Long last = lastSteps.get(key);
        long at = step != null ? step : last == null ? 0 : last + 1;
        lastSteps.put(key, at);
        highestStep = highestStep == null ? at : Math.max(highestStep, at);
        if (queue.add(new Item.MetricPoint(key, value, at, time), config.maxBatchPoints())) {
            LOG.log(
                    Level.WARNING,
                    "Lab Journal: the queue of run " + id() + " is full (" + config.queueCapacity()
                            + " metric points waiting): dropping the oldest points until it drains");
        }
    }

    private synchronized Map<String, String> valid(Map<String, ?> entries, int maxValue, String what) {
        Map<String, String> valid = new LinkedHashMap<>();
        entries.forEach((key, value) -> {
            String text = String.valueOf(value);
            if (!Limits.isKey(key)) {
                warnOnce(what + "-key:" + key, what + " key '" + key + "' is invalid: it is dropped");
            } else if (text.length() > maxValue) {
                warnOnce(what + "-value:" + key, what + " " + key + " is longer than " + maxValue + ": it is dropped");
            } else {
                valid.put(key, text);
            }
        });
        return valid;
    }

    private synchronized void entries(String type, Map<String, String> entries) {
        if (entries.isEmpty() || !accepting(type)) {
            return;
        }
        ObjectNode data = EventEncoder.JSON.createObjectNode();
        ObjectNode members = data.putObject(type);
        for (Map.Entry<String, String> entry : entries.entrySet()) {
            if (members.size() == MAX_ENTRIES_PER_EVENT) {
                enqueue(control(type, copy(data)));
                members.removeAll();
            }
            members.put(entry.getKey(), entry.getValue());
        }
        enqueue(control(type, copy(data)));
    }

    private static Supplier<ObjectNode> copy(ObjectNode data) {
        ObjectNode copy = data.deepCopy();
        return () -> copy;
    }

    private boolean accepting(String what) {
        if (finished) {
            warnOnce("finished", "run " + id() + " is finished: later calls (" + what + ") are ignored");
            return false;
        }
        return true;
    }

    private void warnOnce(String what, String message) {
        if (warned.add(what)) {
            LOG.log(Level.WARNING, "Lab Journal: " + message);
        }
    }

    private ObjectNode startedData() {
        ObjectNode data = EventEncoder.JSON.createObjectNode();
        putIfPresent(data, "name", options.name());
        putIfPresent(data, "team", options.team());
        putIfPresent(data, "user", options.user() == null ? null : Limits.cut(options.user(), Limits.USER));
        putIfPresent(data, "hypothesis", options.hypothesis());
        if (!options.params().isEmpty()) {
            ObjectNode params = data.putObject("params");
            options.params().forEach(params::put);
        }
        if (!options.tags().isEmpty()) {
            ObjectNode tags = data.putObject("tags");
            options.tags().forEach(tags::put);
        }
        if (options.captureEnvironment()) {
            RunEnvironment.addTo(data, Path.of("").toAbsolutePath());
        }
        DuplicateCheck.warnIfRepeated(config, http, options.project(), data);
        return data;
    }

    private synchronized Item.Control heartbeat() {
        ObjectNode data = EventEncoder.JSON.createObjectNode();
        if (highestStep != null) {
            data.put("step", highestStep);
        }
        return new Item.Control("heartbeat", UUID.randomUUID().toString(), Instant.now(), () -> data);
    }

    private static void putIfPresent(ObjectNode data, String field, String value) {
        if (value != null) {
            data.put(field, value);
        }
    }

    private static Item.Control control(String type, Supplier<ObjectNode> data) {
        return new Item.Control(type, UUID.randomUUID().toString(), Instant.now(), data);
    }

    private void enqueue(Item.Control control) {
        queue.add(control, config.maxBatchPoints());
    }
}
