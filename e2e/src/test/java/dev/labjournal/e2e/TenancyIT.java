package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Across tenants nothing is ever visible, whatever the request says. Both tenants hold runs, and both have a run
 * with the same id and the same fingerprint inputs but different content, so a query that forgot the tenant would
 * return the other tenant's data rather than nothing.
 */
class TenancyIT {

    private static final String PROJECT = "tenancy";
    private static final String COMMIT = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    private static final String DATASET_DIGEST =
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static TestTenant tenantA;
    private static TestTenant tenantB;
    /** The run id both tenants use, for different runs. */
    private static String shared;

    private static String dupOfA1;
    private static String dupOfA2;
    private static String dupOfB;
    private static String markerA;
    private static String markerB;
    private static final String NAME_A = "A: resnet50 on the private set";
    private static final String NAME_B = "B: another run under the same id";
    private static final String FAILURE_OF_A = "tenancy.PrivateDataError";

    @BeforeAll
    static void bothTenantsHoldRuns() throws Exception {
        tenantA = TestTenant.create("tenant-a");
        tenantB = TestTenant.create("tenant-b");
        shared = "shared-" + UUID.randomUUID();
        dupOfA1 = "a-dup-" + UUID.randomUUID();
        dupOfA2 = "a-dup-" + UUID.randomUUID();
        dupOfB = "b-dup-" + UUID.randomUUID();
        markerA = marker("confidential");
        markerB = marker("ownwords");
        String a = tenantA.id();
        String b = tenantB.id();

        Platform.Reply ofA = Events.postBatch(
                tenantA.ingestKey(),
                startedWithSameInputs(a, shared, NAME_A),
                Events.note(a, PROJECT, shared, "the " + markerA + " dataset leaks labels"),
                Events.failed(a, PROJECT, shared, FAILURE_OF_A, "Traceback: " + markerA + " refused"),
                startedWithSameInputs(a, dupOfA1, "A: first repeat"),
                Events.finished(a, PROJECT, dupOfA1, "succeeded"),
                startedWithSameInputs(a, dupOfA2, "A: second repeat"),
                Events.finished(a, PROJECT, dupOfA2, "killed"));
        assertThat(ofA.status()).as("%s", ofA.body()).isEqualTo(202);
        assertThat(ofA.body().get("accepted")).hasSize(7);

        Platform.Reply ofB = Events.postBatch(
                tenantB.ingestKey(),
                startedWithSameInputs(b, shared, NAME_B),
                Events.note(b, PROJECT, shared, "the " + markerB + " of tenant B"),
                startedWithSameInputs(b, dupOfB, "B: a repeat"),
                Events.failed(b, PROJECT, dupOfB, "RuntimeError", "NaN loss"));
        assertThat(ofB.status()).as("%s", ofB.body()).isEqualTo(202);
        assertThat(ofB.body().get("accepted")).hasSize(4);

        // Everything stored (PostgreSQL) ...
        Runs.awaitRun(
                tenantA.readKey(),
                shared,
                r -> status(r, "failed") && r.get("notes").size() == 1);
        Runs.awaitRun(tenantA.readKey(), dupOfA1, r -> status(r, "succeeded"));
        Runs.awaitRun(tenantA.readKey(), dupOfA2, r -> status(r, "killed"));
        Runs.awaitRun(
                tenantB.readKey(),
                shared,
                r -> r.get("started").asBoolean() && r.get("notes").size() == 1);
        Runs.awaitRun(tenantB.readKey(), dupOfB, r -> status(r, "failed"));
        // ... and indexed at its last version, as each tenant sees it.
        awaitSearchable(tenantA.readKey(), Map.of(shared, "failed", dupOfA1, "succeeded", dupOfA2, "killed"));
        awaitSearchable(tenantB.readKey(), Map.of(shared, "running", dupOfB, "failed"));
        Searching.awaitHit(tenantA.readKey(), markerA, shared);
        Searching.awaitHit(tenantB.readKey(), markerB, shared);
    }

    @Test
    void aKeyOfTenantBNeverFindsRunsOfTenantA() throws Exception {
        Platform.Reply byWords = Searching.search(tenantB.readKey(), markerA);
        assertThat(byWords.status()).isEqualTo(200);
        assertThat(byWords.body().get("total").asLong()).isZero();
        assertThat(byWords.body().get("runs")).isEmpty();
        assertThat(Searching.search(tenantB.readKey(), FAILURE_OF_A)
                        .body()
                        .get("total")
                        .asLong())
                .isZero();

        Platform.Reply everything = Searching.search(tenantB.readKey(), "");
        assertThat(everything.status()).isEqualTo(200);
        assertThat(everything.body().get("total").asLong()).isEqualTo(2);
        Map<String, JsonNode> hits = hitsById(everything.body());
        assertThat(hits.keySet()).containsExactlyInAnyOrder(shared, dupOfB);
        assertThat(hits.get(shared).get("name").asText()).isEqualTo(NAME_B);
        assertThat(hits.get(shared).get("status").asText()).isEqualTo("running");
        assertThat(hits.get(shared).get("failure_type").isNull()).isTrue();
    }

    @Test
    void tenantAFindsItsOwnRunsOnly() throws Exception {
        Platform.Reply everything = Searching.search(tenantA.readKey(), "");
        assertThat(everything.body().get("total").asLong()).isEqualTo(3);
        assertThat(hitsById(everything.body()).keySet()).containsExactlyInAnyOrder(shared, dupOfA1, dupOfA2);
        assertThat(Searching.search(tenantA.readKey(), markerB)
                        .body()
                        .get("total")
                        .asLong())
                .isZero();
        JsonNode hit =
                hitsById(Searching.search(tenantA.readKey(), markerA).body()).get(shared);
        assertThat(hit.get("name").asText()).isEqualTo(NAME_A);
        assertThat(hit.get("failure_type").asText()).isEqualTo(FAILURE_OF_A);
    }

    @Test
    void byIdAKeyOfTenantBReadsItsOwnRunNeverTheRunOfTenantAWithTheSameId() throws Exception {
        JsonNode ofA = Runs.get(tenantA.readKey(), shared).body();
        assertThat(ofA.get("name").asText()).isEqualTo(NAME_A);
        assertThat(ofA.get("failure").get("type").asText()).isEqualTo(FAILURE_OF_A);

        Platform.Reply reply = Runs.get(tenantB.readKey(), shared);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode ofB = reply.body();
        assertThat(ofB.get("tenant").asText()).isEqualTo(tenantB.id());
        assertThat(ofB.get("run_id").asText()).isEqualTo(shared);
        assertThat(ofB.get("name").asText()).isEqualTo(NAME_B);
        assertThat(ofB.get("status").asText()).isEqualTo("running");
        assertThat(ofB.get("failure").isNull()).as("A's failure: %s", ofB).isTrue();
        assertThat(ofB.get("notes")).hasSize(1);
        assertThat(ofB.get("notes").get(0).get("text").asText()).isEqualTo("the " + markerB + " of tenant B");
        assertThat(ofB.toString()).doesNotContain(markerA).doesNotContain(FAILURE_OF_A);
    }

    @Test
    void byIdAKeyOfTenantBCannotReadARunOnlyTenantAHas() throws Exception {
        assertThat(Runs.get(tenantA.readKey(), dupOfA1).status()).isEqualTo(200);
        Platform.Reply reply = Runs.get(tenantB.readKey(), dupOfA1);
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().get("error").get("code").asText()).isEqualTo("not_found");
        Platform.Reply duplicates =
                Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + dupOfA1 + "/duplicates", tenantB.readKey());
        assertThat(duplicates.status()).isEqualTo(404);
    }

    @Test
    void theDuplicatesOfARunOfTenantBAreRunsOfTenantBOnly() throws Exception {
        JsonNode ofA = duplicates(tenantA, shared);
        JsonNode ofB = duplicates(tenantB, shared);
        assertThat(ofB.get("fingerprint").asText())
                .as("the same fingerprint inputs in both tenants")
                .isNotBlank()
                .isEqualTo(ofA.get("fingerprint").asText());

        assertThat(runIds(ofB)).containsExactly(dupOfB);
        assertThat(ofB.get("runs").get(0).get("status").asText()).isEqualTo("failed");
        assertThat(ofB.get("count").asLong()).isEqualTo(1);
        assertThat(outcomes(ofB))
                .isEqualTo(Map.of("failed", 1L, "killed", 0L, "lost", 0L, "running", 0L, "succeeded", 0L));

        assertThat(runIds(ofA)).containsExactlyInAnyOrder(dupOfA1, dupOfA2);
        assertThat(ofA.get("count").asLong()).isEqualTo(2);
        assertThat(outcomes(ofA))
                .isEqualTo(Map.of("failed", 0L, "killed", 1L, "lost", 0L, "running", 0L, "succeeded", 1L));

        // From B's other run: B's run under the shared id, not A's (which failed, with A's name).
        JsonNode ofDupOfB = duplicates(tenantB, dupOfB);
        assertThat(runIds(ofDupOfB)).containsExactly(shared);
        assertThat(ofDupOfB.get("runs").get(0).get("name").asText()).isEqualTo(NAME_B);
        assertThat(ofDupOfB.get("runs").get(0).get("status").asText()).isEqualTo("running");
        assertThat(ofDupOfB.get("count").asLong()).isEqualTo(1);
        assertThat(outcomes(ofDupOfB))
                .isEqualTo(Map.of("failed", 0L, "killed", 0L, "lost", 0L, "running", 1L, "succeeded", 0L));
    }

    @Test
    void askedBeforeARunExistsTheDuplicatesAreRunsOfTheAskingTenantOnly() throws Exception {
        JsonNode ofA = plannedDuplicates(tenantA.readKey());
        JsonNode ofB = plannedDuplicates(tenantB.readKey());

        assertThat(runIds(ofA)).containsExactlyInAnyOrder(shared, dupOfA1, dupOfA2);
        assertThat(ofA.get("count").asLong()).isEqualTo(3);
        assertThat(outcomes(ofA))
                .containsEntry("failed", 1L)
                .containsEntry("succeeded", 1L)
                .containsEntry("killed", 1L);
        assertThat(runIds(ofB)).containsExactlyInAnyOrder(shared, dupOfB);
        assertThat(ofB.get("count").asLong()).isEqualTo(2);
        assertThat(outcomes(ofB)).containsEntry("failed", 1L).containsEntry("running", 1L);
        assertThat(ofA.get("fingerprint").asText())
                .as("the fingerprint ingest stored for these inputs")
                .isEqualTo(duplicates(tenantA, shared).get("fingerprint").asText())
                .isEqualTo(ofB.get("fingerprint").asText());
    }

    @Test
    void aTenantAdminKeyReindexesItsOwnTenantOnly() throws Exception {
        String adminOfB = tenantB.issueKey("admin").secret();

        Platform.Reply reindexed = reindex(adminOfB, "");
        assertThat(reindexed.status()).as("%s", reindexed.body()).isEqualTo(200);
        assertThat(reindexed.body().get("reindexed").asLong())
                .as("B's two runs")
                .isEqualTo(2);
        Platform.Reply askingForA = reindex(adminOfB, "?tenant=" + tenantA.id());
        assertThat(askingForA.status()).isEqualTo(200);
        assertThat(askingForA.body().get("reindexed").asLong())
                .as("a tenant admin's reindex stays in its tenant, whatever the parameter says")
                .isEqualTo(2);
        Platform.Reply ofAByThePlatformAdmin = reindex(Platform.adminKey(), "?tenant=" + tenantA.id());
        assertThat(ofAByThePlatformAdmin.body().get("reindexed").asLong())
                .as("A's three runs")
                .isEqualTo(3);

        assertThat(Searching.search(tenantB.readKey(), markerA)
                        .body()
                        .get("total")
                        .asLong())
                .isZero();
        assertThat(Searching.search(tenantB.readKey(), "").body().get("total").asLong())
                .isEqualTo(2);
        assertThat(Searching.search(tenantA.readKey(), "").body().get("total").asLong())
                .isEqualTo(3);
        assertThat(hitsById(Searching.search(tenantA.readKey(), markerA).body()))
                .containsOnlyKeys(shared);
        assertThat(hitsById(Searching.search(tenantB.readKey(), markerB).body()))
                .containsOnlyKeys(shared);

        Platform.Reply readKeyReindexing = reindex(tenantB.readKey(), "");
        assertThat(readKeyReindexing.status()).isEqualTo(403);
    }

    @Test
    void aRevokedKeyIsRefusedOnTheNextReadAndOnIngest() throws Exception {
        TestTenant.IssuedKey key = tenantB.issueKey("ingest", "read");
        String adminOfB = tenantB.issueKey("admin").secret();
        assertThat(Runs.get(key.secret(), shared).status()).isEqualTo(200);
        Platform.Reply before =
                Events.postBatch(key.secret(), Events.note(tenantB.id(), PROJECT, dupOfB, "before the key is revoked"));
        assertThat(before.status()).as("%s", before.body()).isEqualTo(202);

        Platform.Reply revoked = Platform.delete(Platform.QUERY_URL + "/api/v1/admin/api-keys/" + key.id(), adminOfB);
        assertThat(revoked.status()).as("%s", revoked.body()).isEqualTo(204);

        Platform.Reply read = Runs.get(key.secret(), shared);
        assertThat(read.status()).isEqualTo(401);
        assertThat(read.body().get("error").get("code").asText()).isEqualTo("unauthenticated");
        assertThat(Searching.search(key.secret(), markerB).status()).isEqualTo(401);
        Platform.Reply ingest =
                Events.postBatch(key.secret(), Events.note(tenantB.id(), PROJECT, dupOfB, "after the key is revoked"));
        assertThat(ingest.status()).as("%s", ingest.body()).isEqualTo(401);
        assertThat(ingest.body().get("error").get("code").asText()).isEqualTo("unauthenticated");

        assertThat(Platform.delete(Platform.QUERY_URL + "/api/v1/admin/api-keys/" + key.id(), adminOfB)
                        .status())
                .as("revoked already")
                .isEqualTo(404);
    }

    @Test
    void aTenantAdminKeyCannotRevokeAKeyOfAnotherTenant() throws Exception {
        TestTenant.IssuedKey keyOfA = tenantA.issueKey("read");
        String adminOfB = tenantB.issueKey("admin").secret();

        Platform.Reply reply = Platform.delete(Platform.QUERY_URL + "/api/v1/admin/api-keys/" + keyOfA.id(), adminOfB);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(Runs.get(keyOfA.secret(), shared).status()).isEqualTo(200);
    }

    @Test
    void aKeyOfTenantBCannotPublishForTenantA() throws Exception {
        Platform.Reply reply = Platform.post(
                Platform.INGEST_URL + "/api/v1/events",
                tenantB.ingestKey(),
                "application/cloudevents+json",
                Events.note(tenantA.id(), PROJECT, shared, "overwrite attempt").toString());
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("error").get("details").get(0).get("code").asText())
                .isEqualTo("tenant_not_allowed");
    }

    @Test
    void requestsWithoutAValidKeyOrScopeAreRefused() throws Exception {
        assertThat(Searching.search("lj_key_not-a-real-key", markerA).status()).isEqualTo(401);
        Platform.Reply noKey = Platform.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(Platform.QUERY_URL + "/api/v1/runs/" + shared))
                        .GET()
                        .build());
        assertThat(noKey.status()).isEqualTo(401);
        Platform.Reply readKeyIngesting = Platform.post(
                Platform.INGEST_URL + "/api/v1/events",
                tenantA.readKey(),
                "application/cloudevents+json",
                Events.note(tenantA.id(), PROJECT, shared, "read keys cannot write")
                        .toString());
        assertThat(readKeyIngesting.status()).isEqualTo(403);
        assertThat(Runs.get(tenantA.ingestKey(), shared).status())
                .as("ingest keys cannot read")
                .isEqualTo(403);
    }

    private static String marker(String word) {
        return word + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** A run.started with the same project, commit, dataset digest and params in every run of this test. */
    private static ObjectNode startedWithSameInputs(String tenant, String runId, String name) {
        ObjectNode event = Events.started(tenant, PROJECT, runId, name);
        ObjectNode data = (ObjectNode) event.get("data");
        data.putObject("source").put("repo", "git@example.com:vision.git").put("commit", COMMIT);
        data.putArray("datasets").addObject().put("name", "corpus").put("digest", DATASET_DIGEST);
        return event;
    }

    private static boolean status(JsonNode run, String status) {
        return run.get("status").asText().equals(status);
    }

    /** Waits until the tenant's search lists each of these runs with its final status. */
    private static void awaitSearchable(String key, Map<String, String> statusByRun) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Platform.Reply reply = Searching.search(key, "");
                    if (reply.status() != 200) {
                        return false;
                    }
                    Map<String, JsonNode> hits = hitsById(reply.body());
                    return statusByRun.entrySet().stream()
                            .allMatch(e -> hits.containsKey(e.getKey()) && status(hits.get(e.getKey()), e.getValue()));
                });
    }

    private static Map<String, JsonNode> hitsById(JsonNode page) {
        Map<String, JsonNode> hits = new TreeMap<>();
        for (JsonNode run : page.get("runs")) {
            JsonNode previous = hits.put(run.get("run_id").asText(), run);
            assertThat(previous).as("run %s listed twice", run.get("run_id")).isNull();
        }
        return hits;
    }

    private static JsonNode duplicates(TestTenant tenant, String runId) throws Exception {
        Platform.Reply reply =
                Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runId + "/duplicates", tenant.readKey());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        return reply.body();
    }

    /** POST /api/v1/duplicates with the inputs every run of this test started with. */
    private static JsonNode plannedDuplicates(String readKey) throws Exception {
        ObjectNode planned =
                Platform.JSON.createObjectNode().put("project", PROJECT).put("commit", COMMIT);
        planned.putArray("dataset_digests").add(DATASET_DIGEST);
        planned.putObject("params").put("lr", "0.001").put("batch_size", "512");
        Platform.Reply reply = Platform.post(
                Platform.QUERY_URL + "/api/v1/duplicates", readKey, "application/json", planned.toString());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        return reply.body();
    }

    private static List<String> runIds(JsonNode duplicates) {
        List<String> ids = new ArrayList<>();
        duplicates.get("runs").forEach(run -> ids.add(run.get("run_id").asText()));
        return ids;
    }

    private static Map<String, Long> outcomes(JsonNode duplicates) {
        Map<String, Long> outcomes = new TreeMap<>();
        duplicates
                .get("outcomes")
                .properties()
                .forEach(e -> outcomes.put(e.getKey(), e.getValue().asLong()));
        return outcomes;
    }

    private static Platform.Reply reindex(String key, String query) throws Exception {
        return Platform.post(Platform.QUERY_URL + "/api/v1/admin/reindex" + query, key, "application/json", "");
    }
}
