package dev.labjournal.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.UUID;

/** A fresh tenant of the running platform with its own keys, so tests never see each other's data. */
record TestTenant(String id, String ingestKey, String readKey) {

    /** A key as the admin API issues it: its id (to revoke it) and its secret (shown once). */
    record IssuedKey(String id, String secret) {}

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
        return new TestTenant(
                id,
                issueKeyWith(admin, id, "ingest").secret(),
                issueKeyWith(admin, id, "read").secret());
    }

    /** Another key of this tenant, issued with the bootstrap administrator key. */
    IssuedKey issueKey(String... scopes) throws IOException, InterruptedException {
        return issueKeyWith(Platform.adminKey(), id, scopes);
    }

    static IssuedKey issueKeyWith(String adminKey, String tenant, String... scopes)
            throws IOException, InterruptedException {
        var body = Platform.JSON.createObjectNode().put("tenant", tenant);
        var scopeArray = body.putArray("scopes");
        for (String scope : scopes) {
            scopeArray.add(scope);
        }
        Platform.Reply reply = Platform.post(
                Platform.QUERY_URL + "/api/v1/admin/api-keys", adminKey, "application/json", body.toString());
        assertThat(reply.status()).as("create key: %s", reply.body()).isEqualTo(201);
        String secret = reply.body().get("key").asText();
        assertThat(secret).as("the key's secret").isNotBlank();
        return new IssuedKey(reply.body().get("id").asText(), secret);
    }
}
