package dev.labjournal.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the benchmarks ask of the administrator's API: a tenant of their own, and keys of it. */
public final class TenantAdmin {

    private final Http http;
    private final String queryUrl;
    private final String adminKey;

    public TenantAdmin(Http http, String queryUrl, String adminKey) {
        this.http = http;
        this.queryUrl = queryUrl;
        this.adminKey = adminKey;
    }

    /** With the administrator key that {@code deploy/local/labjournal up} wrote to {@code adminKeyFile}. */
    public static TenantAdmin fromKeyFile(Http http, String queryUrl, Path adminKeyFile) {
        try {
            return new TenantAdmin(
                    http, queryUrl, Files.readString(adminKeyFile).trim());
        } catch (IOException e) {
            throw new BenchException(
                    BenchException.UNREACHABLE,
                    "cannot read the admin key from " + adminKeyFile
                            + " (written by deploy/local/labjournal up; or pass --admin-key-file): " + e);
        }
    }

    /** POST /api/v1/admin/tenants. */
    public void createTenant(String id, String name) {
        expectCreated(
                "creating the tenant " + id,
                http.postJson(queryUrl + "/api/v1/admin/tenants", adminKey, Map.of("id", id, "name", name)));
    }

    /** POST /api/v1/admin/api-keys: a new key of the tenant with these scopes (read, ingest, alerts). */
    public String issueKey(String tenant, String... scopes) {
        return expectCreated(
                        "issuing a " + String.join("+", scopes) + " key of " + tenant,
                        http.postJson(
                                queryUrl + "/api/v1/admin/api-keys",
                                adminKey,
                                Map.of("tenant", tenant, "scopes", List.of(scopes))))
                .path("key")
                .asText();
    }

    private static JsonNode expectCreated(String what, Http.Reply reply) {
        if (reply.status() != 201) {
            throw new BenchException(
                    BenchException.UNREACHABLE, what + " answered " + reply.status() + ": " + reply.text());
        }
        return reply.body();
    }
}
