package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Across tenants nothing is ever visible, whatever the request says. */
class TenancyIT {

    private static TestTenant tenantA;
    private static TestTenant tenantB;
    private static String runOfA;
    private static String marker;

    @BeforeAll
    static void runInTenantA() throws Exception {
        tenantA = TestTenant.create("tenant-a");
        tenantB = TestTenant.create("tenant-b");
        runOfA = "secret-" + UUID.randomUUID();
        marker = "confidential" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        Platform.Reply reply = Platform.post(
                Platform.INGEST_URL + "/api/v1/events",
                tenantA.ingestKey(),
                "application/cloudevents+json",
                Events.note(tenantA.id(), "llm", runOfA, "the " + marker + " dataset leaks labels")
                        .toString());
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(202);
        Searching.awaitHit(tenantA.readKey(), marker, runOfA);
    }

    @Test
    void aKeyOfTenantBNeverFindsRunsOfTenantA() throws Exception {
        Platform.Reply byWords = Searching.search(tenantB.readKey(), marker);
        assertThat(byWords.status()).isEqualTo(200);
        assertThat(byWords.body().get("total").asLong()).isZero();

        Platform.Reply everything = Searching.search(tenantB.readKey(), "");
        assertThat(everything.status()).isEqualTo(200);
        for (JsonNode run : everything.body().get("runs")) {
            assertThat(run.get("run_id").asText()).isNotEqualTo(runOfA);
        }
    }

    @Test
    void aKeyOfTenantBCannotReadARunOfTenantAById() throws Exception {
        assertThat(Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runOfA, tenantA.readKey())
                        .status())
                .isEqualTo(200);
        Platform.Reply reply = Platform.get(Platform.QUERY_URL + "/api/v1/runs/" + runOfA, tenantB.readKey());
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body().get("error").get("code").asText()).isEqualTo("not_found");
    }

    @Test
    void aKeyOfTenantBCannotPublishForTenantA() throws Exception {
        Platform.Reply reply = Platform.post(
                Platform.INGEST_URL + "/api/v1/events",
                tenantB.ingestKey(),
                "application/cloudevents+json",
                Events.note(tenantA.id(), "llm", runOfA, "overwrite attempt").toString());
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body().get("error").get("details").get(0).get("code").asText())
                .isEqualTo("tenant_not_allowed");
    }

    @Test
    void requestsWithoutAValidKeyOrScopeAreRefused() throws Exception {
        assertThat(Searching.search("lj_key_not-a-real-key", marker).status()).isEqualTo(401);
        Platform.Reply readKeyIngesting = Platform.post(
                Platform.INGEST_URL + "/api/v1/events",
                tenantA.readKey(),
                "application/cloudevents+json",
                Events.note(tenantA.id(), "llm", runOfA, "read keys cannot write")
                        .toString());
        assertThat(readKeyIngesting.status()).isEqualTo(403);
    }
}
