package dev.labjournal.ingest.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.schemas.UnknownMember;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A validated run event, with the envelope attributes the normaliser needs.
 *
 * @param unknownMembers the top-level members of {@code data} its schema does not define (kept in the run's extra)
 * @param raw the structured CloudEvent bytes, kept for the dead-letter topic
 */
public record RunEvent(
        String id,
        String type,
        String tenant,
        String project,
        String runId,
        OffsetDateTime time,
        JsonNode data,
        List<UnknownMember> unknownMembers,
        byte[] raw,
        SourcePosition position) {

    public RunEvent {
        unknownMembers = List.copyOf(unknownMembers);
    }

    /**
     * Where a Kafka event came from, with its record key and headers, so that a dead letter can be replayed as it was
     * (binary-mode events keep their {@code ce_*} headers). Null fields and no headers for events that did not come
     * from Kafka.
     */
    public record SourcePosition(String topic, Integer partition, Long offset, String key, List<Header> headers) {
        public static final SourcePosition NONE = new SourcePosition(null, null, null, null, List.of());

        public SourcePosition {
            headers = List.copyOf(headers);
        }

        /** One Kafka record header. */
        public record Header(String key, byte[] value) {}
    }

    /** The identity used for idempotency: event ids are unique within a tenant. */
    public String eventKey() {
        return tenant + "\u0000" + id;
    }

    public RunKey runKey() {
        return new RunKey(tenant, runId);
    }

    /** A run is identified by its tenant and id: two tenants may use the same run id. */
    public record RunKey(String tenant, String runId) {
        /** The Kafka key of run-changes messages and the search document id. */
        public String asKey() {
            return tenant + ":" + runId;
        }
    }
}
