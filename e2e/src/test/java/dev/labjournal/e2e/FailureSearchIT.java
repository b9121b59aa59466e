package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A failure published from any language is found by words of its stack trace. */
class FailureSearchIT {

    private static TestTenant tenant;

    @BeforeAll
    static void tenant() throws Exception {
        tenant = TestTenant.create("search");
    }

    private static String marker() {
        return "allocator" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static String stacktrace(String marker) {
        return "Traceback (most recent call last):\n"
                + "  File \"train.py\", line 88, in <module>\n"
                + "    loss.backward()\n"
                + "  File \"/opt/conda/lib/python3.11/site-packages/torch/_tensor.py\", line 522, in backward\n"
                + "    torch.autograd.backward(self, gradient)\n"
                + "  File \"/opt/conda/lib/python3.11/site-packages/" + marker + "/caching.py\", line 17, in malloc\n"
                + "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate 2.00 GiB";
    }

    @Test
    void failurePublishedWithKcatIsFoundByWordsOfItsStackTrace() throws Exception {
        String runId = "kcat-" + UUID.randomUUID();
        String marker = marker();
        long sent = System.nanoTime();
        Kcat.produce(
                "labjournal.run-events",
                List.of(
                        new Kcat.KeyedLine(
                                runId,
                                Events.started(tenant.id(), "imagenet", runId, "resnet50 bs512")
                                        .toString()),
                        new Kcat.KeyedLine(
                                runId,
                                Events.failed(
                                                tenant.id(),
                                                "imagenet",
                                                runId,
                                                "torch.cuda.OutOfMemoryError",
                                                stacktrace(marker))
                                        .toString())));

        JsonNode hit = Searching.awaitHit(tenant.readKey(), marker + " OutOfMemoryError", runId);
        System.out.printf("kcat publish -> searchable in %d ms%n", (System.nanoTime() - sent) / 1_000_000);

        assertThat(hit.get("status").asText()).isEqualTo("failed");
        assertThat(hit.get("failure_type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");
        assertThat(hit.get("name").asText()).isEqualTo("resnet50 bs512");
        assertThat(hit.get("highlights").get("failure_stacktrace").toString()).contains("<em>");
    }

    @Test
    void failurePostedOverHttpIsFoundByWordsOfItsStackTrace() throws Exception {
        String runId = "http-" + UUID.randomUUID();
        String marker = marker();
        ArrayNode batch = Platform.JSON.createArrayNode();
        batch.add(Events.started(tenant.id(), "imagenet", runId, "vit-b16 warmup sweep"));
        batch.add(Events.failed(tenant.id(), "imagenet", runId, "FloatingPointError", stacktrace(marker)));

        Platform.Reply reply = Platform.post(
                Platform.INGEST_URL + "/api/v1/events",
                tenant.ingestKey(),
                "application/cloudevents-batch+json",
                batch.toString());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(202);
        assertThat(reply.body().get("accepted")).hasSize(2);

        JsonNode hit = Searching.awaitHit(tenant.readKey(), marker, runId);
        assertThat(hit.get("failure_type").asText()).isEqualTo("FloatingPointError");

        Platform.Reply run = Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runId, tenant.readKey());
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body().get("params").get("lr").asText()).isEqualTo("0.001");
        assertThat(run.body().get("failure").get("stacktrace").asText()).contains(marker);
    }

    @Test
    void httpIngestRefusesAnInvalidBatchAndNamesTheIndexAndPath() throws Exception {
        String runId = "http-invalid-" + UUID.randomUUID();
        ArrayNode batch = Platform.JSON.createArrayNode();
        batch.add(Events.started(tenant.id(), "imagenet", runId, "fine"));
        var bad = Events.metrics(tenant.id(), "imagenet", runId, 0, 1);
        ((com.fasterxml.jackson.databind.node.ObjectNode)
                        bad.get("data").get("metrics").get(0))
                .put("value", "nan");
        batch.add(bad);

        Platform.Reply reply = Platform.post(
                Platform.INGEST_URL + "/api/v1/events",
                tenant.ingestKey(),
                "application/cloudevents-batch+json",
                batch.toString());

        assertThat(reply.status()).isEqualTo(400);
        JsonNode error = reply.body().get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_events");
        JsonNode detail = error.get("details").get(0);
        assertThat(detail.get("index").asInt()).isEqualTo(1);
        assertThat(detail.get("path").asText()).isEqualTo("$.data.metrics[0].value");
        assertThat(Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runId, tenant.readKey())
                        .status())
                .as("nothing of a refused batch is stored")
                .isEqualTo(404);
    }
}
