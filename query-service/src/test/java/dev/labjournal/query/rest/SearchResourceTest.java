package dev.labjournal.query.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.common.tenancy.ApiKeyRepository;
import dev.labjournal.query.search.SearchPage;
import dev.labjournal.query.search.service.RunSearch;
import dev.labjournal.query.tenancy.TenantScope;
import io.quarkus.test.InjectMock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /api/v1/runs/search}: authentication, scope, limits and page tokens, and the page it returns. */
@QuarkusTest
class SearchResourceTest {

    @TestHTTPResource("/")
    URI base;

    @InjectMock
    ApiKeyRepository keys;

    @InjectMock
    RunSearch search;

    @BeforeEach
    void keys() {
        ApiKeys.stub(keys);
    }

    @Test
    void withoutAKeyIs401() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/search?q=oom", null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void aKeyWithoutReadScopeIs403() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/search?q=oom", ApiKeys.INGESTER);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("forbidden");
        verify(search, never()).search(any(), any(), any(), anyInt(), any());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "201"})
    void aLimitOutOfRangeIs400WithTheParameterNamed(String limit) throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/search?q=oom&limit=" + limit, ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(400);
        JsonNode error = Http.envelope(reply);
        assertThat(error.get("code").asText()).isEqualTo("invalid_limit");
        assertThat(error.get("message").asText()).contains("between 1 and 200");
        assertThat(error.get("details").get("param").asText()).isEqualTo("limit");
        verify(search, never()).search(any(), any(), any(), anyInt(), any());
    }

    @Test
    void aLimitThatIsNoNumberIs4xxInTheEnvelope() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/search?q=oom&limit=ten", ApiKeys.READER);

        assertThat(reply.status()).isBetween(400, 404);
        Http.envelope(reply);
        verify(search, never()).search(any(), any(), any(), anyInt(), any());
    }

    @Test
    void aPageTokenNotOfThisApiIs400() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/search?q=oom&page_token=bm90LWEtdG9rZW4", ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("invalid_page_token");
    }

    @Test
    void searchesTheKeysTenantAndReturnsThePage() throws Exception {
        SearchPage page = new SearchPage(
                1,
                List.of(new SearchPage.Hit(
                        "run-1",
                        "imagenet",
                        "vision",
                        "resnet50",
                        "ada",
                        "failed",
                        "torch.cuda.OutOfMemoryError",
                        "CUDA out of memory",
                        "2026-01-01T00:00:00Z",
                        null,
                        1.5,
                        Map.of("failure_message", List.of("CUDA out of <em>memory</em>")))),
                null);
        when(search.search(eq(new TenantScope(ApiKeys.TENANT)), eq("memory"), isNull(), eq(20), isNull()))
                .thenReturn(Uni.createFrom().item(page));

        Http.Reply reply = Http.get(base, "/api/v1/runs/search?q=memory", ApiKeys.READER);

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("total").asLong()).isEqualTo(1);
        JsonNode hit = reply.body().get("runs").get(0);
        assertThat(hit.get("run_id").asText()).isEqualTo("run-1");
        assertThat(hit.get("failure_type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");
        assertThat(hit.get("highlights").get("failure_message").get(0).asText())
                .isEqualTo("CUDA out of <em>memory</em>");
    }
}
