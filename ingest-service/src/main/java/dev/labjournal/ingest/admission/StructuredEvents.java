package dev.labjournal.ingest.admission;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventDeserializer;
import org.apache.kafka.common.header.Headers;

/**
 * Turns a Kafka record into structured-mode CloudEvent JSON. Structured records pass through; binary-mode records
 * ({@code ce_*} headers, data as the value) are read with the CloudEvents SDK and written out structured, so one
 * validator serves both modes.
 */
public final class StructuredEvents {

    private static final String SPECVERSION_HEADER = "ce_specversion";
    private static final EventFormat JSON_FORMAT = new JsonFormat();

    private StructuredEvents() {}

    /** Throws {@link IllegalArgumentException} with a readable reason when a binary-mode record cannot be read. */
    public static byte[] toStructured(String topic, Headers headers, byte[] value) {
        if (headers.lastHeader(SPECVERSION_HEADER) == null) {
            return value == null ? new byte[0] : value;
        }
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            CloudEvent event = deserializer.deserialize(topic, headers, value);
            return JSON_FORMAT.serialize(event);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("binary-mode CloudEvent headers cannot be read: " + e.getMessage(), e);
        }
    }
}
