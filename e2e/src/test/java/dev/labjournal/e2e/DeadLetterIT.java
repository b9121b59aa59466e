package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Poison events go to the dead-letter topic with a reason; the events after them are still ingested. */
class DeadLetterIT {

    @Test
    void malformedAndSchemaViolatingEventsAreDeadLetteredAndLaterEventsStillLand() throws Exception {
        TestTenant tenant = TestTenant.create("dlq");
        String runId = "poisoned-" + UUID.randomUUID();
        ObjectNode violating = Events.metrics(tenant.id(), "asr", runId, 0, 3);
        ((ObjectNode) violating.get("data").get("metrics").get(2)).put("value", "nan");
        ObjectNode unknownTenant = Events.note(
                "no-such-tenant-" + UUID.randomUUID().toString().substring(0, 8), "asr", runId, "from nowhere");
        String marker =
                "survivor" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

        try (DeadLetterTopic dlq = new DeadLetterTopic()) {
            Kcat.produce(
                    "labjournal.run-events",
                    List.of(
                            new Kcat.KeyedLine(runId, "{\"specversion\": \"1.0\", \"id\": "),
                            new Kcat.KeyedLine(runId, violating.toString()),
                            new Kcat.KeyedLine(runId, unknownTenant.toString()),
                            new Kcat.KeyedLine(
                                    runId,
                                    Events.note(tenant.id(), "asr", runId, marker)
                                            .toString())));

            await().atMost(Duration.ofSeconds(30))
                    .until(() -> dlq.all().stream()
                                    .filter(d -> runId.equals(d.key()))
                                    .count()
                            >= 3);
            List<DeadLetterTopic.DeadLetter> ours =
                    dlq.all().stream().filter(d -> runId.equals(d.key())).toList();
            assertThat(ours).hasSize(3);
            assertThat(ours.get(0).headers()).containsEntry("lj-error-code", "malformed_json");
            assertThat(ours.get(0).headers().get("lj-error-reason")).isNotBlank();
            assertThat(ours.get(0).value()).isEqualTo("{\"specversion\": \"1.0\", \"id\": ");
            assertThat(ours.get(1).headers())
                    .containsEntry("lj-error-code", "schema_violation")
                    .containsEntry("lj-error-path", "$.data.metrics[2].value");
            assertThat(ours.get(1).headers()).containsEntry("lj-source-topic", "labjournal.run-events");
            assertThat(ours.get(2).headers()).containsEntry("lj-error-code", "unknown_tenant");
        }

        Searching.awaitHit(tenant.readKey(), marker, runId);
        Platform.Reply run = Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runId, tenant.readKey());
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body().get("notes").get(0).get("text").asText()).isEqualTo(marker);
        assertThat(run.body().get("metrics"))
                .as("no point of the refused metrics event")
                .isEmpty();
    }
}
