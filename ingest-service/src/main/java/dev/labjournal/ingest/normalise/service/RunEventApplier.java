package dev.labjournal.ingest.normalise.service;

import static dev.labjournal.ingest.domain.EventData.bool;
import static dev.labjournal.ingest.domain.EventData.integer;
import static dev.labjournal.ingest.domain.EventData.stringMap;
import static dev.labjournal.ingest.domain.EventData.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.common.runs.Fingerprint;
import dev.labjournal.ingest.domain.BatchChanges;
import dev.labjournal.ingest.domain.EventData;
import dev.labjournal.ingest.domain.EventTimes;
import dev.labjournal.ingest.domain.MetricBatch;
import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository.Artifact;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository.ArtifactWrite;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository.Keyed;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository.Note;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository.ParamConflict;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository.TagWrite;
import dev.labjournal.ingest.normalise.repository.RunRepository;
import dev.labjournal.ingest.normalise.repository.RunRepository.Finished;
import dev.labjournal.ingest.normalise.repository.RunRepository.FinishedRun;
import dev.labjournal.ingest.normalise.repository.RunRepository.Started;
import dev.labjournal.ingest.normalise.repository.RunRepository.StartedRun;
import dev.labjournal.schemas.EventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applies a batch's new (never seen) events of every type but metrics to the database, in the batch transaction. */
@ApplicationScoped
public class RunEventApplier {

    private final RunRepository runs;
    private final RunDetailsRepository details;

    public RunEventApplier(RunRepository runs, RunDetailsRepository details) {
        this.runs = runs;
        this.details = details;
    }

    /** Whether the event needs its own statements (metrics go in one batch statement, heartbeats only touch). */
    public static boolean needsStatements(RunEvent event) {
        return !event.type().equals(EventTypes.RUN_METRICS) && !event.type().equals(EventTypes.RUN_HEARTBEAT);
    }

    /** Adds the points of a metrics event to the batch's buffer. */
    public static void collectPoints(RunEvent event, MetricBatch points) {
        RunKey run = event.runKey();
        for (JsonNode point : event.data().get("metrics")) {
            JsonNode time = point.get("time");
            points.add(
                    run,
                    point.get("key").asText(),
                    point.get("step").asLong(),
                    time == null ? event.time() : EventTimes.parse(time.asText(), "$.data.metrics[].time"),
                    EventData.metricValue(point.get("value")));
        }
    }

    /**
     * Applies these new events of every type but metrics and heartbeats with one statement per kind of row, whatever
     * their number: what the batch says twice is resolved here first, exactly as applying the events one after the
     * other would: of two run.started of a run the later wins; tags and artifacts keep the value of the latest event
     * time (the later event of equal times); params are immutable, so the first value wins and every later event
     * that says otherwise is refused for those params; of two run.finished the later end time wins.
     *
     * @param changes receives what the events changed: the tags and params written, the final status applied
     * @return the rejections of events whose params conflict, in event order
     */
    public Uni<List<Rejection>> applyAll(SqlConnection conn, List<RunEvent> events, BatchChanges changes) {
        Map<RunKey, StartedRun> started = new LinkedHashMap<>();
        Map<Keyed, TagWrite> tags = new LinkedHashMap<>();
        List<RunEvent> withParams = new ArrayList<>();
        List<Note> notes = new ArrayList<>();
        Map<Keyed, ArtifactWrite> artifacts = new LinkedHashMap<>();
        Map<RunKey, FinishedRun> finished = new LinkedHashMap<>();
        for (RunEvent event : events) {
            JsonNode data = event.data();
            switch (event.type()) {
                case EventTypes.RUN_STARTED -> {
                    started.put(event.runKey(), new StartedRun(event.runKey(), event.project(), started(event)));
                    collectTags(event, tags);
                    withParams.add(event);
                }
                case EventTypes.RUN_PARAMS, EventTypes.RUN_TAGS -> {
                    collectTags(event, tags);
                    withParams.add(event);
                }
                case EventTypes.RUN_NOTE ->
                    notes.add(
                            new Note(event.runKey(), event.id(), text(data, "kind"), text(data, "text"), event.time()));
                case EventTypes.RUN_ARTIFACT -> {
                    ArtifactWrite write = new ArtifactWrite(event.runKey(), artifact(data), event.time());
                    artifacts.merge(
                            new Keyed(event.runKey(), write.artifact().path()),
                            write,
                            (had, now) -> now.time().isBefore(had.time()) ? had : now);
                }
                case EventTypes.RUN_FINISHED ->
                    finished.merge(
                            event.runKey(),
                            new FinishedRun(event.runKey(), finished(event)),
                            (had, now) -> now.finished()
                                            .endTime()
                                            .isBefore(had.finished().endTime())
                                    ? had
                                    : now);
                default -> {}
            }
        }
        return runs.applyStarted(conn, List.copyOf(started.values()))
                .chain(() -> details.upsertTags(conn, List.copyOf(tags.values())))
                .invoke(written -> written.forEach(changes::tagsSet))
                .chain(() -> applyParams(conn, withParams, changes))
                .call(() -> details.insertNotes(conn, notes))
                .call(() -> details.upsertArtifacts(conn, List.copyOf(artifacts.values())))
                .call(() -> runs.applyFinished(conn, List.copyOf(finished.values()))
                        .invoke(applied -> applied.forEach(changes::finished)));
    }

    /** Adds the event's tags, keeping per run and key the value of the latest event time (the later of equal ones). */
    private static void collectTags(RunEvent event, Map<Keyed, TagWrite> tags) {
        stringMap(event.data(), "tags")
                .forEach((key, value) -> tags.merge(
                        new Keyed(event.runKey(), key),
                        new TagWrite(event.runKey(), key, value, event.time()),
                        (had, now) -> now.time().isBefore(had.time()) ? had : now));
    }

    /** Inserts the params no run has yet; refuses, per event, the params whose run has another value already. */
    private Uni<List<Rejection>> applyParams(SqlConnection conn, List<RunEvent> events, BatchChanges changes) {
        Map<Keyed, String> sent = new LinkedHashMap<>();
        for (RunEvent event : events) {
            stringMap(event.data(), "params")
                    .forEach((key, value) -> sent.putIfAbsent(new Keyed(event.runKey(), key), value));
        }
        return details.existingParams(conn, List.copyOf(sent.keySet())).chain(existing -> {
            Map<Keyed, String> known = new HashMap<>(existing);
            Map<Keyed, String> inserts = new LinkedHashMap<>();
            List<Rejection> rejections = new ArrayList<>();
            for (RunEvent event : events) {
                Map<String, ParamConflict> conflicts = new LinkedHashMap<>();
                stringMap(event.data(), "params").forEach((key, value) -> {
                    Keyed param = new Keyed(event.runKey(), key);
                    String had = known.putIfAbsent(param, value);
                    if (had == null) {
                        inserts.put(param, value);
                    } else if (!had.equals(value)) {
                        conflicts.put(key, new ParamConflict(key, had, value));
                    }
                });
                if (!conflicts.isEmpty()) {
                    rejections.add(paramConflict(event, conflicts));
                }
            }
            return details.insertParams(conn, inserts)
                    .invoke(inserted -> inserted.forEach(changes::paramsSet))
                    .replaceWith(rejections);
        });
    }

    private static Rejection paramConflict(RunEvent event, Map<String, ParamConflict> conflicts) {
        ParamConflict first = conflicts.values().iterator().next();
        String reason = "params are immutable: run '" + event.runId() + "' already has " + conflicts.size()
                + " of these params with another value (first: '" + first.key() + "' is '" + first.existingValue()
                + "', this event says '" + first.rejectedValue() + "'); those were not changed,"
                + " the event's other data was stored";
        return new Rejection(
                "param_conflict", "$.data.params['" + first.key() + "']", reason, event.raw(), event.position());
    }

    private static Started started(RunEvent event) {
        JsonNode data = event.data();
        JsonNode source = data.path("source");
        List<String> digests = new ArrayList<>();
        JsonArray datasets = new JsonArray();
        for (JsonNode dataset : data.path("datasets")) {
            datasets.add(new JsonObject(dataset.toString()));
            Optional.ofNullable(text(dataset, "digest")).ifPresent(digests::add);
        }
        JsonNode environment = data.get("environment");
        String commit = text(source, "commit");
        return new Started(
                text(data, "team"),
                text(data, "name"),
                text(data, "user"),
                text(source, "repo"),
                commit,
                text(source, "branch"),
                bool(source, "dirty"),
                text(source, "entrypoint"),
                text(data, "hypothesis"),
                datasets,
                environment == null ? new JsonObject() : new JsonObject(environment.toString()),
                Fingerprint.of(event.project(), commit, digests, stringMap(data, "params")),
                event.time());
    }

    private static Finished finished(RunEvent event) {
        JsonNode data = event.data();
        JsonNode failure = data.path("failure");
        return new Finished(
                text(data, "status"),
                text(failure, "type"),
                text(failure, "message"),
                text(failure, "stacktrace"),
                integer(failure, "step"),
                text(data, "conclusion"),
                event.time());
    }

    private static Artifact artifact(JsonNode data) {
        return new Artifact(
                text(data, "path"),
                text(data, "uri"),
                text(data, "digest"),
                integer(data, "size"),
                text(data, "media_type"));
    }
}
