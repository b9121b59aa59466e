package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Readers are tolerant (D3): a member of {@code data} that the schema of its type does not define (a field of a client
 * newer than the server) is accepted over HTTP with a warning and over Kafka without a dead letter, kept with the run
 * ({@code extra} of the run detail), and counted; known members stay strict.
 */
class UnknownMembersIT {

    private static final String STARTED = "dev.labjournal.run.started.v1";

    @Test
    void overHttpTheEventIsAcceptedWithAWarningAndItsMemberIsKeptWithTheRun() throws Exception {
        TestTenant tenant = TestTenant.create("unknown-http");
        String runId = "newer-client-" + UUID.randomUUID();
        ObjectNode note = Events.note(tenant.id(), "asr", runId, "a note from a client of today");
        ObjectNode started = startedWithDataset(tenant.id(), runId);
        ((ObjectNode) started.get("data")).put("gpu_count", 8);
        long countedBefore = unknownMembersCounted(STARTED);

        Platform.Reply reply = Events.postBatch(tenant.ingestKey(), note, started);

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(202);
        assertThat(reply.body().get("accepted"))
                .extracting(JsonNode::asText)
                .containsExactly(note.get("id").asText(), started.get("id").asText());
        JsonNode warnings = reply.body().get("warnings");
        assertThat(warnings).as("one warning, for the started event (index 1)").hasSize(1);
        assertThat(warnings.get(0).get("index").asInt()).isEqualTo(1);
        assertThat(warnings.get(0).get("path").asText()).isEqualTo("$.data.gpu_count");
        assertThat(warnings.get(0).get("code").asText()).isEqualTo("unknown_member");
        assertThat(warnings.get(0).get("reason").asText()).contains("gpu_count", STARTED);

        JsonNode run = Runs.awaitRun(
                tenant.readKey(),
                runId,
                r -> r.get("started").asBoolean() && r.path("extra").has("gpu_count"));
        assertThat(run.get("params").get("lr").asText()).isEqualTo("0.001");
        assertThat(run.get("params").get("batch_size").asText()).isEqualTo("512");
        assertThat(run.get("datasets").get(0).get("name").asText()).isEqualTo("corpus");
        assertThat(run.get("datasets").get(0).get("digest").asText()).isEqualTo("sha256:feed");
        assertThat(run.get("extra").get("gpu_count").asInt()).isEqualTo(8);
        assertThat(run.get("notes").get(0).get("text").asText()).isEqualTo("a note from a client of today");

        // A later event (a heartbeat: no statement of its own on the hot path) overwrites the member of that name
        // and adds its other one; an event without unknown members gets a 202 without warnings.
        ObjectNode heartbeat = Events.heartbeat(tenant.id(), "asr", runId, 10);
        ((ObjectNode) heartbeat.get("data")).put("gpu_count", 16);
        ((ObjectNode) heartbeat.get("data"))
                .putObject("node")
                .put("host", "gpu-7")
                .put("slots", 2);
        assertThat(Events.postBatch(tenant.ingestKey(), heartbeat).body().get("warnings"))
                .hasSize(2);
        Platform.Reply plain =
                Events.postBatch(tenant.ingestKey(), Events.note(tenant.id(), "asr", runId, "nothing unknown"));
        assertThat(plain.status()).isEqualTo(202);
        assertThat(plain.body().has("warnings")).as("%s", plain.body()).isFalse();

        JsonNode updated = Runs.awaitRun(
                tenant.readKey(), runId, r -> r.path("extra").path("gpu_count").asInt() == 16);
        assertThat(updated.get("extra").get("node").get("host").asText()).isEqualTo("gpu-7");
        assertThat(updated.get("extra").get("node").get("slots").asInt()).isEqualTo(2);
        assertThat(updated.get("extra").size()).as("%s", updated.get("extra")).isEqualTo(2);
        assertThat(updated.get("params").size()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(30))
                .alias("labjournal_ingest_unknown_members_total of run.started counts the HTTP event")
                .until(() -> unknownMembersCounted(STARTED) >= countedBefore + 1);
    }

    @Test
    void overKafkaTheEventLandsWithItsMemberAndIsNotDeadLettered() throws Exception {
        TestTenant tenant = TestTenant.create("unknown-kafka");
        String runId = "newer-client-" + UUID.randomUUID();
        ObjectNode started = startedWithDataset(tenant.id(), runId);
        ((ObjectNode) started.get("data")).put("gpu_count", 4);
        String marker =
                "tolerant" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        long countedBefore = unknownMembersCounted(STARTED);

        try (DeadLetterTopic dlq = new DeadLetterTopic()) {
            Kcat.produce(
                    "labjournal.run-events",
                    List.of(
                            new Kcat.KeyedLine(runId, started.toString()),
                            new Kcat.KeyedLine(
                                    runId,
                                    Events.note(tenant.id(), "asr", runId, marker)
                                            .toString())));

            JsonNode run = Runs.awaitRun(
                    tenant.readKey(),
                    runId,
                    r -> r.get("started").asBoolean() && !r.get("notes").isEmpty());
            assertThat(run.get("extra").get("gpu_count").asInt()).isEqualTo(4);
            assertThat(run.get("params").get("lr").asText()).isEqualTo("0.001");
            assertThat(run.get("datasets").get(0).get("name").asText()).isEqualTo("corpus");

            // Searchable means the batch's run changes were acknowledged, and with them its dead letters, if any.
            Searching.awaitHit(tenant.readKey(), marker, runId);
            assertThat(dlq.all()).extracting(DeadLetterTopic.DeadLetter::key).doesNotContain(runId);
        }
        await().atMost(Duration.ofSeconds(30))
                .alias("labjournal_ingest_unknown_members_total of run.started counts the Kafka event")
                .until(() -> unknownMembersCounted(STARTED) >= countedBefore + 1);
    }

    @Test
    void aDataProjectThatDisagreesWithSourceIsRefused() throws Exception {
        TestTenant tenant = TestTenant.create("unknown-project");
        String runId = "mismatch-" + UUID.randomUUID();
        ObjectNode started = startedWithDataset(tenant.id(), runId);
        ((ObjectNode) started.get("data")).put("project", "not-asr");

        Platform.Reply reply = Events.postBatch(tenant.ingestKey(), started);

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(400);
        JsonNode details = reply.body().get("error").get("details");
        assertThat(details).hasSize(1);
        assertThat(details.get(0).get("index").asInt()).isEqualTo(0);
        assertThat(details.get(0).get("code").asText()).isEqualTo("project_mismatch");
        assertThat(details.get(0).get("path").asText()).isEqualTo("$.data.project");
        assertThat(Runs.get(tenant.readKey(), runId).status())
                .as("nothing of a refused request is stored")
                .isEqualTo(404);
    }

    private static ObjectNode startedWithDataset(String tenant, String runId) {
        ObjectNode started = Events.started(tenant, "asr", runId, "whisper large " + runId);
        ((ObjectNode) started.get("data"))
                .putArray("datasets")
                .addObject()
                .put("name", "corpus")
                .put("digest", "sha256:feed");
        return started;
    }

    /** {@code labjournal_ingest_unknown_members_total{type=...}} of ingest-service, 0 when not yet counted. */
    private static long unknownMembersCounted(String type) throws Exception {
        Matcher counter = Pattern.compile("(?m)^labjournal_ingest_unknown_members_total\\{[^}]*type=\""
                        + Pattern.quote(type) + "\"[^}]*} (\\S+)$")
                .matcher(ServiceProcess.ingest().metrics());
        return counter.find() ? (long) Double.parseDouble(counter.group(1)) : 0;
    }
}
