package dev.labjournal.ingest.messaging;

import dev.labjournal.ingest.service.Rejection;
import dev.labjournal.schemas.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/** Builds dead-letter records: the original bytes, with headers that say what was wrong, where and why. */
final class DeadLetters {

    static final String CODE = "lj-error-code";
    static final String PATH = "lj-error-path";
    static final String REASON = "lj-error-reason";

    private DeadLetters() {}

    static ProducerRecord<String, byte[]> of(Rejection rejection) {
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.RUN_EVENTS_DLQ, rejection.position().key(), rejection.raw());
        Headers headers = record.headers();
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
