package dev.labjournal.ingest.http.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.ingest.admission.EventAdmission;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.http.service.HttpIngestService.EventWarning;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpIngestWarningsTest {

    private final EventAdmission admission = new EventAdmission();

    private RunEvent admit(String data) {
        byte[] json = ("{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/tenants/acme/projects/imagenet\","
                        + "\"type\":\"dev.labjournal.run.started.v1\",\"subject\":\"run-1\","
                        + "\"time\":\"2026-12-01T10:00:00Z\",\"tenant\":\"acme\",\"data\":" + data + "}")
                .getBytes(StandardCharsets.UTF_8);
        EventAdmission.Admitted admitted = admission.admit(json, RunEvent.SourcePosition.NONE);
        assertThat(admitted.accepted()).as("%s", admitted.errors()).isTrue();
        return admitted.event();
    }

    @Test
    void eachUnknownMemberOfDataIsOneWarningAtItsEventsIndex() {
        List<RunEvent> accepted = List.of(
                admit("{\"name\":\"plain\"}"),
                admit("{\"name\":\"newer client\",\"gpu_count\":8,\"gpu type\":\"h100\"}"));

        List<EventWarning> warnings = HttpIngestService.warnings(accepted);

        assertThat(warnings).extracting(EventWarning::index).containsExactly(1, 1);
        assertThat(warnings).extracting(EventWarning::code).containsOnly("unknown_member");
        assertThat(warnings).extracting(EventWarning::path).containsExactly("$.data.gpu_count", "$.data['gpu type']");
        assertThat(warnings.get(0).reason())
                .contains("'gpu_count'", "dev.labjournal.run.started.v1", "kept with the run");
    }

    @Test
    void noUnknownMemberNoWarning() {
        assertThat(HttpIngestService.warnings(List.of(admit("{\"name\":\"plain\",\"params\":{\"lr\":\"0.1\"}}"))))
                .isEmpty();
    }
}
