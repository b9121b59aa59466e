package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.UUID;

/** A fresh tenant of the running platform with its own keys, so tests never see each other's data. */
record TestTenant(String id, String ingestKey, String readKey) {

    static TestTenant create(String prefix) throws IOException, InterruptedException {
        Platform.ensureUp();
        String admin = Platform.adminKey();
        String id = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Platform.Reply tenant = Platform.post(
                Platform.QUERY_URL + "/api/v1/admin/tenants",
                admin,
                "application/json",
                "{\"id\": \"" + id + "\", \"name\": \"Test tenant " + id + "\"}");
        assertThat(tenant.status()).as("create tenant: %s", tenant.body()).isEqualTo(201);
        return new TestTenant(id, key(admin, id, "[\"ingest\"]"), key(admin, id, "[\"read\"]"));
    }

    private static String key(String admin, String tenant, String scopes) throws IOException, InterruptedException {
        Platform.Reply reply = Platform.post(
                Platform.QUERY_URL + "/api/v1/admin/api-keys",
                admin,
                "application/json",
                "{\"tenant\": \"" + tenant + "\", \"scopes\": " + scopes + "}");
        assertThat(reply.status()).as("create key: %s", reply.body()).isEqualTo(201);
        return reply.body().get("key").asText();
    }
}
