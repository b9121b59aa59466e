package dev.labjournal.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.schemas.changes.RunChange;
import dev.labjournal.schemas.changes.RunChange.MetricChange;
import dev.labjournal.schemas.changes.RunChangeCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class RunChangesTest {

    @Test
    void aChangeTravelsAsTheContractKeyedByTenantAndRun() {
        RunChange change = new RunChange(
                "acme",
                "run-1",
                4,
                "failed",
                true,
                true,
                List.of(new MetricChange("loss", Double.NaN, 0.2, Double.POSITIVE_INFINITY, 12, 1100)),
                Map.of("model", "resnet50"),
                Map.of("lr", "0.1"));

        ProducerRecord<String, byte[]> record = RunChanges.of(List.of(change)).get(0);

        assertThat(record.topic()).isEqualTo("labjournal.run-changes");
        assertThat(record.key()).isEqualTo("acme:run-1");
        assertThat(RunChangeCodec.fromJson(record.value())).isEqualTo(change);
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .contains("\"last\":\"NaN\"", "\"max\":\"Infinity\"", "\"last_step\":1100");
    }

    @Test
    void reannouncementsCarryTheVersionOnly() {
        ProducerRecord<String, byte[]> record = RunChanges.reannouncements(Map.of(new RunKey("acme", "run-1"), 9L))
                .get(0);

        assertThat(record.key()).isEqualTo("acme:run-1");
        assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"tenant\":\"acme\",\"run_id\":\"run-1\",\"version\":9}");
    }

    @Test
    void aChangeTooLargeForOneMessageKeepsItsStatusAndLeavesTheRestToPostgres() {
        Map<String, String> params = new TreeMap<>();
        for (int i = 0; i < 200; i++) {
            params.put("param_" + i, "x".repeat(5_000));
        }
        List<MetricChange> metrics = new ArrayList<>();
        metrics.add(new MetricChange("loss", 0.1, 0.1, 0.1, 1, 1));
        RunChange huge = new RunChange("acme", "run-1", 3, "killed", true, false, metrics, Map.of(), params);
        assertThat(RunChangeCodec.toJson(huge).length).isGreaterThan(RunChanges.MAX_MESSAGE_BYTES);

        ProducerRecord<String, byte[]> record = RunChanges.of(List.of(huge)).get(0);

        assertThat(record.value().length).isLessThanOrEqualTo(RunChanges.MAX_MESSAGE_BYTES);
        assertThat(RunChangeCodec.fromJson(record.value()))
                .isEqualTo(new RunChange("acme", "run-1", 3, "killed", true, false, List.of(), Map.of(), Map.of()));
    }
}
