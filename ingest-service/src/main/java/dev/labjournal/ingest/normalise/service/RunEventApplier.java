package dev.labjournal.ingest.normalise.service;

import static dev.labjournal.ingest.domain.EventData.bool;
import static dev.labjournal.ingest.domain.EventData.integer;
import static dev.labjournal.ingest.domain.EventData.stringMap;
import static dev.labjournal.ingest.domain.EventData.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.ingest.domain.BatchChanges;
import dev.labjournal.ingest.domain.EventData;
import dev.labjournal.ingest.domain.EventTimes;
import dev.labjournal.ingest.domain.MetricBatch;
import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository.Artifact;
import dev.labjournal.ingest.normalise.repository.RunDetailsRepository.ParamConflict;
import dev.labjournal.ingest.normalise.repository.RunRepository;
import dev.labjournal.ingest.normalise.repository.RunRepository.Finished;
import dev.labjournal.ingest.normalise.repository.RunRepository.Started;
import dev.labjournal.schemas.EventTypes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Applies one new (never seen) event of any type but metrics to the database, inside the batch transaction. */
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
     * Applies the event; returns a rejection when part of it was refused (a param with another value).
     *
     * @param changes receives what the event changed: the tags and params written, the final status applied
     */
    public Uni<Optional<Rejection>> apply(SqlConnection conn, RunEvent event, BatchChanges changes) {
        JsonNode data = event.data();
        return switch (event.type()) {
            case EventTypes.RUN_STARTED ->
                runs.applyStarted(conn, event.runKey(), event.project(), started(event))
                        .chain(() -> applyParamsAndTags(conn, event, changes));
            case EventTypes.RUN_PARAMS, EventTypes.RUN_TAGS -> applyParamsAndTags(conn, event, changes);
            case EventTypes.RUN_NOTE ->
                details.insertNote(
                                conn, event.runKey(), event.id(), text(data, "kind"), text(data, "text"), event.time())
                        .replaceWith(Optional.empty());
            case EventTypes.RUN_ARTIFACT ->
                details.upsertArtifact(conn, event.runKey(), artifact(data), event.time())
                        .replaceWith(Optional.empty());
            case EventTypes.RUN_FINISHED -> {
                Finished finished = finished(event);
                yield runs.applyFinished(conn, event.runKey(), finished).map(applied -> {
                    if (applied) {
                        changes.finished(event.runKey(), finished.status());
                    }
                    return Optional.empty();
                });
            }
            default -> Uni.createFrom().item(Optional.empty());
        };
    }

    private Uni<Optional<Rejection>> applyParamsAndTags(SqlConnection conn, RunEvent event, BatchChanges changes) {
        Map<String, String> params = stringMap(event.data(), "params");
        Map<String, String> tags = stringMap(event.data(), "tags");
        Uni<Void> tagWrite = tags.isEmpty()
                ? Uni.createFrom().voidItem()
                : details.upsertTags(conn, event.runKey(), tags, event.time())
                        .invoke(written -> changes.tagsSet(event.runKey(), written))
                        .replaceWithVoid();
        if (params.isEmpty()) {
            return tagWrite.replaceWith(Optional.empty());
        }
        return tagWrite.chain(() -> details.insertParams(conn, event.runKey(), params))
                .map(written -> {
                    changes.paramsSet(event.runKey(), written.inserted());
                    return written.conflicts().isEmpty()
                            ? Optional.empty()
                            : Optional.of(paramConflict(event, written.conflicts()));
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
