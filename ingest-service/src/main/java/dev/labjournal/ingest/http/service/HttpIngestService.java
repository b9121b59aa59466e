package dev.labjournal.ingest.http.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.ingest.admission.EventAdmission;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.kafka.KafkaPublisher;
import dev.labjournal.schemas.Topics;
import dev.labjournal.schemas.UnknownMember;
import dev.labjournal.schemas.ValidationError;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Validates events posted over HTTP and produces them to the run-events topic. All or nothing: if any event of a
 * batch is invalid, none is produced and the caller gets every error with its index and JSON path.
 */
@ApplicationScoped
public class HttpIngestService {

    /** The most events one request may carry. */
    public static final int MAX_BATCH_EVENTS = 1_000;

    private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(
                            StreamReadConstraints.builder().maxNestingDepth(66).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final EventAdmission admission;
    private final KafkaPublisher publisher;

    public HttpIngestService(EventAdmission admission, KafkaPublisher publisher) {
        this.admission = admission;
        this.publisher = publisher;
    }

    /** One error of a request, by the index of its event in the request. */
    public record EventError(int index, String code, String path, String reason) {}

    /**
     * Something about an accepted event the caller should know, by the index of its event in the request: an
     * unknown member of its data ({@value #UNKNOWN_MEMBER}), kept with the run but not understood by this server.
     */
    public record EventWarning(int index, String path, String code, String reason) {}

    /** The code of the warning for an unknown member of data. */
    public static final String UNKNOWN_MEMBER = "unknown_member";

    /**
     * The outcome of a request whose events were all accepted.
     *
     * @param accepted the ids of the events, in request order
     * @param warnings what the caller should know about them, in request order (empty when nothing)
     */
    public record Published(List<String> accepted, List<EventWarning> warnings) {}

    /**
     * Returns the accepted event ids, with warnings, once Kafka has acknowledged every event. Validation of up to
     * 16 MiB is CPU work: it runs on a worker thread, not on the event loop that also serves the health checks.
     */
    public Uni<Published> publish(String tenant, byte[] body, boolean batch) {
        return Uni.createFrom()
                .item(() -> admit(tenant, body, batch))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(accepted -> publisher
                        .sendAll(accepted.stream()
                                .map(HttpIngestService::toRecord)
                                .toList())
                        .replaceWith(() -> new Published(
                                accepted.stream().map(RunEvent::id).toList(), warnings(accepted))));
    }

    /** One warning per unknown member of data, by event index and then in document order. */
    static List<EventWarning> warnings(List<RunEvent> accepted) {
        List<EventWarning> warnings = new ArrayList<>();
        for (int i = 0; i < accepted.size(); i++) {
            RunEvent event = accepted.get(i);
            for (UnknownMember member : event.unknownMembers()) {
                warnings.add(new EventWarning(
                        i,
                        member.path(),
                        UNKNOWN_MEMBER,
                        "data member '" + member.name() + "' is not defined by " + event.type()
                                + "; it was accepted and is kept with the run (in its extra), but this server does"
                                + " not interpret it"));
            }
        }
        return warnings;
    }

    /** The events of the request, if every one is valid and of the caller's tenant; else a 400 with every error. */
    private List<RunEvent> admit(String tenant, byte[] body, boolean batch) {
        List<byte[]> events = batch ? splitBatch(body) : List.of(body);
        List<EventError> errors = new ArrayList<>();
        List<RunEvent> accepted = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            EventAdmission.Admitted admitted = admission.admit(events.get(i), RunEvent.SourcePosition.NONE);
            if (!admitted.accepted()) {
                for (ValidationError e : admitted.errors()) {
                    errors.add(new EventError(i, e.code(), e.path(), e.reason()));
                }
            } else if (!admitted.event().tenant().equals(tenant)) {
                errors.add(new EventError(
                        i,
                        "tenant_not_allowed",
                        "$.tenant",
                        "this API key belongs to tenant '" + tenant + "', the event names tenant '"
                                + admitted.event().tenant() + "'"));
            } else {
                accepted.add(admitted.event());
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_events",
                    errors.size() + " error(s) in " + events.size() + " event(s); no event was accepted",
                    errors);
        }
        return accepted;
    }

    private static ProducerRecord<String, byte[]> toRecord(RunEvent event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.RUN_EVENTS, event.runId(), event.raw());
        record.headers().add("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static List<byte[]> splitBatch(byte[] body) {
        JsonNode array;
        try {
            array = STRICT.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed_json", "the batch is not valid JSON: " + e.getMessage(), null);
        }
        if (array == null || !array.isArray()) {
            throw ApiException.badRequest("malformed_json", "a batch must be a JSON array of CloudEvents", null);
        }
        if (array.isEmpty() || array.size() > MAX_BATCH_EVENTS) {
            throw ApiException.badRequest(
                    "batch_size",
                    "a batch holds 1 to " + MAX_BATCH_EVENTS + " events; this one holds " + array.size(),
                    null);
        }
        List<byte[]> events = new ArrayList<>();
        for (JsonNode event : array) {
            events.add(event.toString().getBytes(StandardCharsets.UTF_8));
        }
        return events;
    }
}
