package dev.labjournal.ingest.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.ingest.domain.RunEvent;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class StructuredEventsTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBinaryModeEventIsRewrittenInStructuredModeAndValidates() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", utf8("1.0"));
        headers.add("ce_id", utf8("evt-7"));
        headers.add("ce_source", utf8("/tenants/acme/projects/imagenet"));
        headers.add("ce_type", utf8("dev.labjournal.run.note.v1"));
        headers.add("ce_subject", utf8("run-1"));
        headers.add("ce_time", utf8("2026-11-22T06:00:00Z"));
        headers.add("ce_tenant", utf8("acme"));
        headers.add("content-type", utf8("application/json"));

        byte[] structured = StructuredEvents.toStructured(
                "labjournal.run-events", headers, utf8("{\"kind\":\"observation\",\"text\":\"loss plateaus\"}"));

        EventAdmission.Admitted admitted = new EventAdmission().admit(structured, RunEvent.SourcePosition.NONE);
        assertThat(admitted.accepted()).as("%s", admitted.errors()).isTrue();
        assertThat(admitted.event().id()).isEqualTo("evt-7");
        assertThat(admitted.event().data().get("text").asText()).isEqualTo("loss plateaus");
    }

    @Test
    void aStructuredRecordPassesThroughUnchanged() {
        byte[] value = utf8("{\"specversion\":\"1.0\"}");
        assertThat(StructuredEvents.toStructured("t", new RecordHeaders(), value))
                .isSameAs(value);
    }

    @Test
    void unreadableBinaryModeHeadersAreAClearError() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", utf8("0.1"));
        assertThatThrownBy(() -> StructuredEvents.toStructured("t", headers, utf8("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("binary-mode CloudEvent");
    }
}
