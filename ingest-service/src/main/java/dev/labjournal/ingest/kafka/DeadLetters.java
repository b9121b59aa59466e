package dev.labjournal.ingest.kafka;

import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Builds dead-letter records that keep everything needed to replay them: the original bytes, record key and
 * headers (binary-mode events keep their {@code ce_*} headers), plus headers that say what was wrong, where and why.
 */
public final class DeadLetters {

    public static final String CODE = "lj-error-code";
    public static final String PATH = "lj-error-path";
    public static final String REASON = "lj-error-reason";
    public static final String TRACE = "lj-error-trace";
    public static final String TRUNCATED_FROM = "lj-truncated-from-bytes";

    /**
     * Room for what a record costs beyond its key, value and headers: the record batch header (61 bytes), the
     * record's own varints and attributes, with a wide margin.
     */
    static final int RECORD_OVERHEAD_BYTES = 1024;

    private DeadLetters() {}

    /**
     * The dead letter of a rejection. A record larger than {@code maxRecordBytes} (what the dead-letter topic and the
     * producer accept, read from the broker) would fail on every retry and stall its batch: its value is cut to fit,
     * and a header says how long it was.
     */
    public static ProducerRecord<String, byte[]> of(Rejection rejection, String topic, int maxRecordBytes) {
        RunEvent.SourcePosition position = rejection.position();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, position.key(), null);
        Headers headers = record.headers();
        position.headers().forEach(h -> headers.add(h.key(), h.value()));
        add(headers, CODE, rejection.code());
        add(headers, PATH, rejection.path());
        add(headers, REASON, rejection.reason());
        if (rejection.trace() != null) {
            add(headers, TRACE, rejection.trace());
        }
        if (position.topic() != null) {
            add(headers, "lj-source-topic", position.topic());
            add(headers, "lj-source-partition", String.valueOf(position.partition()));
            add(headers, "lj-source-offset", String.valueOf(position.offset()));
        }
        byte[] raw = rejection.raw();
        int room = maxRecordBytes - RECORD_OVERHEAD_BYTES - bytesOf(position.key(), headers);
        if (raw.length <= room) {
            return withValue(record, raw);
        }
        add(headers, TRUNCATED_FROM, String.valueOf(raw.length));
        return withValue(record, Arrays.copyOf(raw, Math.max(0, room - TRUNCATED_FROM.length() - 16)));
    }

    /** A dead letter as small as it can be: no value, a header with its length (other records pass unchanged). */
    public static ProducerRecord<String, byte[]> withoutValue(ProducerRecord<String, byte[]> record) {
        if (record.headers().lastHeader(CODE) == null || record.value() == null) {
            return record;
        }
        ProducerRecord<String, byte[]> cut = withValue(record, new byte[0]);
        if (cut.headers().lastHeader(TRUNCATED_FROM) == null) {
            add(cut.headers(), TRUNCATED_FROM, String.valueOf(record.value().length));
        }
        return cut;
    }

    private static ProducerRecord<String, byte[]> withValue(ProducerRecord<String, byte[]> record, byte[] value) {
        return new ProducerRecord<>(
                record.topic(), record.partition(), record.timestamp(), record.key(), value, record.headers());
    }

    private static int bytesOf(String key, Headers headers) {
        int bytes = key == null ? 0 : key.getBytes(StandardCharsets.UTF_8).length;
        for (Header header : headers) {
            bytes += header.key().getBytes(StandardCharsets.UTF_8).length
                    + (header.value() == null ? 0 : header.value().length)
                    + 10;
        }
        return bytes;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
