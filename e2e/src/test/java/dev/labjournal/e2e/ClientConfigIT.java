package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One address for clients: from query-service's URL and a key, a client learns its tenant and where to publish; and
 * before a run exists it can ask which runs the planned one would repeat.
 */
class ClientConfigIT {

    private static TestTenant tenant;

    @BeforeAll
    static void tenant() throws Exception {
        tenant = TestTenant.create("clients");
    }

    @Test
    void aKeyLearnsItsTenantTeamScopesAndTheAddressesToPublishTo() throws Exception {
        var body = Platform.JSON.createObjectNode().put("tenant", tenant.id()).put("team", "speech");
        body.putArray("scopes").add("read").add("ingest");
        Platform.Reply issued = Platform.post(
                Platform.QUERY_URL + "/api/v1/admin/api-keys",
                Platform.adminKey(),
                "application/json",
                body.toString());
        assertThat(issued.status()).as("%s", issued.body()).isEqualTo(201);
        String key = issued.body().get("key").asText();

        Platform.Reply config = Platform.get(Platform.QUERY_URL + "/api/v1/client-config", key);

        assertThat(config.status()).as("%s", config.body()).isEqualTo(200);
        JsonNode view = config.body();
        assertThat(view.get("tenant").asText()).isEqualTo(tenant.id());
        assertThat(view.get("team").asText()).isEqualTo("speech");
        assertThat(view.get("scopes").toString()).isEqualTo("[\"ingest\",\"read\"]");
        assertThat(view.get("ingest_url").asText())
                .as("the ingest-service this platform runs")
                .isEqualTo(Platform.INGEST_URL);
        assertThat(view.get("kafka").get("bootstrap_servers").asText()).isEqualTo(Platform.KAFKA);
        assertThat(view.get("kafka").get("topic").asText()).isEqualTo("labjournal.run-events");

        String runId = "learned-" + UUID.randomUUID();
        Platform.Reply published = Platform.post(
                view.get("ingest_url").asText() + "/api/v1/events",
                key,
                "application/cloudevents+json",
                Events.started(view.get("tenant").asText(), "clients", runId, "published where it was told")
                        .toString());
        assertThat(published.status()).as("%s", published.body()).isEqualTo(202);
        Runs.awaitRun(key, runId, run -> run.get("name").asText().equals("published where it was told"));
    }

    @Test
    void withoutAValidKeyNothingIsLearned() throws Exception {
        Platform.Reply anonymous =
                Platform.send(HttpRequest.newBuilder(URI.create(Platform.QUERY_URL + "/api/v1/client-config"))
                        .GET()
                        .build());
        assertThat(anonymous.status()).isEqualTo(401);
        Platform.Reply wrongKey = Platform.get(Platform.QUERY_URL + "/api/v1/client-config", "lj_not-a-key");
        assertThat(wrongKey.status()).isEqualTo(401);
    }

    @Test
    void aPlannedRunThatNothingRepeatsHasNoDuplicates() throws Exception {
        ObjectNode planned =
                Platform.JSON.createObjectNode().put("project", "clients").putNull("commit");
        planned.putObject("params").put("seed", UUID.randomUUID().toString());

        Platform.Reply reply = duplicates(tenant.readKey(), planned.toString());

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("count").asLong()).isZero();
        assertThat(reply.body().get("runs")).isEmpty();
        assertThat(reply.body().get("outcomes").toString())
                .isEqualTo("{\"failed\":0,\"killed\":0,\"lost\":0,\"running\":0,\"succeeded\":0}");
    }

    @Test
    void aBadPlannedRunGetsA400NamingTheMember() throws Exception {
        record Case(String body, String code, String path) {}
        List<Case> cases = List.of(
                new Case("{\"commit\": \"abc\"}", "invalid_request", "project"),
                new Case("{\"project\": \"bad project\"}", "invalid_request", "project"),
                new Case("{\"project\": \"p\", \"params\": {\"lr\": 0.1}}", "invalid_request", "params.lr"),
                new Case(
                        "{\"project\": \"p\", \"dataset_digests\": [\"ok\", 7]}",
                        "invalid_request",
                        "dataset_digests[1]"),
                new Case("{\"project\": \"p\", \"commit\": 12}", "invalid_request", "commit"),
                new Case("[]", "invalid_request", "$"),
                new Case("{\"project\": ", "invalid_json", null));
        for (Case bad : cases) {
            Platform.Reply reply = duplicates(tenant.readKey(), bad.body());
            assertThat(reply.status()).as("%s -> %s", bad.body(), reply.body()).isEqualTo(400);
            JsonNode error = reply.body().get("error");
            assertThat(error.get("code").asText()).as(bad.body()).isEqualTo(bad.code());
            if (bad.path() != null) {
                assertThat(error.get("details").get("path").asText())
                        .as(bad.body())
                        .isEqualTo(bad.path());
            }
        }
    }

    @Test
    void askingForDuplicatesNeedsTheReadScope() throws Exception {
        Platform.Reply reply = duplicates(tenant.ingestKey(), "{\"project\": \"clients\"}");
        assertThat(reply.status()).isEqualTo(403);
    }

    private static Platform.Reply duplicates(String key, String body) throws Exception {
        return Platform.post(Platform.QUERY_URL + "/api/v1/duplicates", key, "application/json", body);
    }
}
