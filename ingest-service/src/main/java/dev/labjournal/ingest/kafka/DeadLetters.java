package dev.labjournal.ingest.kafka;

import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.schemas.Limits;
import dev.labjournal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/** Builds dead-letter records: the original bytes, with headers that say what was wrong, where and why. */
public final class DeadLetters {

    public static final String CODE = "lj-error-code";
    public static final String PATH = "lj-error-path";
    public static final String REASON = "lj-error-reason";

    private DeadLetters() {}

    /**
     * The most of the original bytes a dead letter carries: the producer's 2 MiB request limit less room for the key
     * and our headers. A record near the broker's limit would otherwise not fit on the dead-letter topic and would
     * stall the batch: such a record is cut, and a header says how long it was.
     */
    static final int MAX_KEPT_BYTES = 2 * Limits.MAX_EVENT_BYTES - 64 * 1024;

    public static ProducerRecord<String, byte[]> of(Rejection rejection) {
        byte[] raw = rejection.raw();
        byte[] kept = raw.length > MAX_KEPT_BYTES ? Arrays.copyOf(raw, MAX_KEPT_BYTES) : raw;
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.RUN_EVENTS_DLQ, rejection.position().key(), kept);
        Headers headers = record.headers();
        if (kept != raw) {
            add(headers, "lj-truncated-from-bytes", String.valueOf(raw.length));
        }
        add(headers, CODE, rejection.code());
        add(headers, PATH, rejection.path());
        add(headers, REASON, rejection.reason());
        if (rejection.position().topic() != null) {
            add(headers, "lj-source-topic", rejection.position().topic());
            add(
                    headers,
                    "lj-source-partition",
                    String.valueOf(rejection.position().partition()));
            add(headers, "lj-source-offset", String.valueOf(rejection.position().offset()));
        }
        return record;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
