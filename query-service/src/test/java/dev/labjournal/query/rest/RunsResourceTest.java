package dev.labjournal.query.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.labjournal.common.tenancy.ApiKeyRepository;
import dev.labjournal.query.runs.service.RunService;
import dev.labjournal.query.tenancy.TenantScope;
import io.quarkus.test.InjectMock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/runs/{id}}: authentication, scope, tenant from the key, and 404 in the error envelope. */
@QuarkusTest
class RunsResourceTest {

    @TestHTTPResource("/")
    URI base;

    @InjectMock
    ApiKeyRepository keys;

    @InjectMock
    RunService runs;

    @BeforeEach
    void keys() {
        ApiKeys.stub(keys);
    }

    @Test
    void withoutAKeyIs401() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/run-1", null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("unauthenticated");
        verify(runs, never()).find(any(), anyString());
    }

    @Test
    void withAnUnknownKeyIs401() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/run-1", "lj_read_not-a-key");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.errorCode()).isEqualTo("unauthenticated");
    }

    @Test
    void aKeyWithoutReadScopeIs403() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/run-1", ApiKeys.INGESTER);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("forbidden");
        assertThat(reply.body().get("error").get("message").asText()).contains("'read'");
        verify(runs, never()).find(any(), anyString());
    }

    @Test
    void aPlatformAdministratorKeyHasNoTenantToReadIn() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/run-1", ApiKeys.PLATFORM_ADMIN);

        assertThat(reply.status()).isEqualTo(403);
        verify(runs, never()).find(any(), anyString());
    }

    @Test
    void aMissingRunIs404InTheKeysTenant() throws Exception {
        when(runs.find(any(), anyString())).thenReturn(Uni.createFrom().nullItem());

        Http.Reply reply = Http.get(base, "/api/v1/runs/no-such-run?tenant=other", ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("not_found");
        assertThat(reply.body().get("error").get("message").asText()).contains("no-such-run");
        verify(runs).find(new TenantScope(ApiKeys.TENANT), "no-such-run");
    }

    @Test
    void missingDuplicatesAre404() throws Exception {
        when(runs.duplicates(any(), anyString())).thenReturn(Uni.createFrom().nullItem());

        Http.Reply reply = Http.get(base, "/api/v1/runs/no-such-run/duplicates", ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.errorCode()).isEqualTo("not_found");
    }
}
