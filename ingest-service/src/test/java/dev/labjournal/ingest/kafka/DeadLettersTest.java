package dev.labjournal.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final String DLQ = "labjournal.run-events.dlq";
    private static final int TWO_MIB = 2 * 1024 * 1024;

    private static final RunEvent.SourcePosition POSITION = new RunEvent.SourcePosition(
            "labjournal.run-events",
            2,
            41L,
            "run-1",
            List.of(new RunEvent.SourcePosition.Header(
                    "ce_type", "dev.labjournal.run.note.v1".getBytes(StandardCharsets.UTF_8))));

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aDeadLetterCarriesTheOriginalBytesKeyAndWhy() {
        byte[] raw = "{\"oops\"".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record =
                DeadLetters.of(new Rejection("malformed_json", "$", "unexpected end", raw, POSITION), DLQ, TWO_MIB);

        assertThat(record.topic()).isEqualTo("labjournal.run-events.dlq");
        assertThat(record.key()).isEqualTo("run-1");
        assertThat(record.value()).isEqualTo(raw);
        assertThat(header(record, "lj-error-code")).isEqualTo("malformed_json");
        assertThat(header(record, "lj-source-offset")).isEqualTo("41");
        assertThat(header(record, "lj-truncated-from-bytes")).isNull();
    }

    @Test
    void aDeadLetterKeepsTheOriginalHeadersSoThatABinaryModeEventCanBeReplayed() {
        ProducerRecord<String, byte[]> record = DeadLetters.of(
                new Rejection("schema_violation", "$.data.kind", "bad kind", new byte[] {'{', '}'}, POSITION),
                DLQ,
                TWO_MIB);

        assertThat(header(record, "ce_type")).isEqualTo("dev.labjournal.run.note.v1");
        assertThat(header(record, "lj-error-path")).isEqualTo("$.data.kind");
    }

    @Test
    void anOversizedEventIsDeadLetteredWholeWhenTheTopicTakesIt() {
        byte[] raw = new byte[1_310_720];
        ProducerRecord<String, byte[]> record =
                DeadLetters.of(new Rejection("too_large", "$", "over 1 MiB", raw, POSITION), DLQ, TWO_MIB);

        assertThat(record.value()).isEqualTo(raw);
        assertThat(header(record, "lj-truncated-from-bytes")).isNull();
    }

    @Test
    void aDeadLetterAlwaysFitsTheTopicLimitTheBrokerReports() {
        for (int limit : new int[] {1_048_588, 65_536, TWO_MIB}) {
            byte[] raw = new byte[2_097_000];
            ProducerRecord<String, byte[]> record =
                    DeadLetters.of(new Rejection("too_large", "$", "over 1 MiB", raw, POSITION), DLQ, limit);

            assertThat(serializedSize(record))
                    .as("record size for a limit of %d", limit)
                    .isLessThanOrEqualTo(limit);
            assertThat(record.value().length)
                    .as("value kept for a limit of %d", limit)
                    .isGreaterThan(limit - 2048);
            assertThat(header(record, "lj-truncated-from-bytes")).isEqualTo("2097000");
        }
    }

    @Test
    void withoutValueKeepsKeyAndHeaders() {
        ProducerRecord<String, byte[]> record = DeadLetters.withoutValue(
                DeadLetters.of(new Rejection("too_large", "$", "over 1 MiB", new byte[5000], POSITION), DLQ, TWO_MIB));

        assertThat(record.value()).isEmpty();
        assertThat(record.key()).isEqualTo("run-1");
        assertThat(header(record, "lj-error-code")).isEqualTo("too_large");
        assertThat(header(record, "lj-truncated-from-bytes")).isEqualTo("5000");
    }

    /** The size Kafka gives the record in a batch of its own (what the broker compares with max.message.bytes). */
    private static int serializedSize(ProducerRecord<String, byte[]> record) {
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE,
                ByteBuffer.wrap(record.key().getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(record.value()),
                record.headers().toArray());
    }
}
