package dev.labjournal.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private static final RunEvent.SourcePosition POSITION =
            new RunEvent.SourcePosition("labjournal.run-events", 2, 41L, "run-1");

    private static String header(ProducerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void aDeadLetterCarriesTheOriginalBytesKeyAndWhy() {
        byte[] raw = "{\"oops\"".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> record =
                DeadLetters.of(new Rejection("malformed_json", "$", "unexpected end", raw, POSITION));

        assertThat(record.topic()).isEqualTo("labjournal.run-events.dlq");
        assertThat(record.key()).isEqualTo("run-1");
        assertThat(record.value()).isEqualTo(raw);
        assertThat(header(record, "lj-error-code")).isEqualTo("malformed_json");
        assertThat(header(record, "lj-source-offset")).isEqualTo("41");
        assertThat(header(record, "lj-truncated-from-bytes")).isNull();
    }

    @Test
    void anOversizedEventIsStillDeadLetteredWhole() {
        byte[] raw = new byte[1_310_720];
        ProducerRecord<String, byte[]> record =
                DeadLetters.of(new Rejection("too_large", "$", "over 1 MiB", raw, POSITION));

        assertThat(record.value()).isEqualTo(raw);
    }

    @Test
    void aRecordTooBigToDeadLetterWholeIsCutAndSaysSo() {
        byte[] raw = new byte[2_097_000];
        ProducerRecord<String, byte[]> record =
                DeadLetters.of(new Rejection("too_large", "$", "over 1 MiB", raw, POSITION));

        assertThat(record.value()).hasSize(DeadLetters.MAX_KEPT_BYTES);
        assertThat(header(record, "lj-truncated-from-bytes")).isEqualTo("2097000");
    }
}
