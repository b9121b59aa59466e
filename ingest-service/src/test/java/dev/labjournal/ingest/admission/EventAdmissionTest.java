package dev.labjournal.ingest.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.ingest.domain.EventData;
import dev.labjournal.ingest.domain.RunEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventAdmissionTest {

    private final EventAdmission admission = new EventAdmission();

    private static byte[] metricsEvent(String time, String pointTime) {
        return ("{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/tenants/acme/projects/imagenet\","
                        + "\"type\":\"dev.labjournal.run.metrics.v1\",\"subject\":\"run-1\",\"time\":\"" + time
                        + "\",\"tenant\":\"acme\",\"data\":{\"metrics\":[{\"key\":\"loss\",\"value\":\"-Infinity\","
                        + "\"step\":3,\"time\":\"" + pointTime + "\"}]}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValidEventBecomesARunEventWithProjectAndRunFromTheEnvelope() {
        EventAdmission.Admitted admitted = admission.admit(
                metricsEvent("2026-11-22T06:00:00Z", "2026-11-22T06:00:01.5+01:00"), RunEvent.SourcePosition.NONE);

        assertThat(admitted.accepted()).as("%s", admitted.errors()).isTrue();
        RunEvent event = admitted.event();
        assertThat(event.tenant()).isEqualTo("acme");
        assertThat(event.project()).isEqualTo("imagenet");
        assertThat(event.runId()).isEqualTo("run-1");
        assertThat(event.runKey().asKey()).isEqualTo("acme:run-1");
    }

    @Test
    void metricValuesKeepNaNAndInfinities() {
        EventAdmission.Admitted admitted = admission.admit(
                metricsEvent("2026-11-22T06:00:00Z", "2026-11-22T06:00:01Z"), RunEvent.SourcePosition.NONE);

        assertThat(EventData.metricValue(
                        admitted.event().data().get("metrics").get(0).get("value")))
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void aMalformedEventIsRefusedWithAPath() {
        EventAdmission.Admitted admitted =
                admission.admit("{\"specversion\": ".getBytes(StandardCharsets.UTF_8), RunEvent.SourcePosition.NONE);

        assertThat(admitted.accepted()).isFalse();
        assertThat(admitted.errors().get(0).code()).isEqualTo("malformed_json");
        assertThat(admitted.errors().get(0).path()).isEqualTo("$");
    }
}
