package dev.labjournal.query.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.common.tenancy.ApiKeyRepository;
import dev.labjournal.query.search.SearchPage;
import dev.labjournal.query.search.service.PageToken;
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
import org.opensearch.client.opensearch._types.FieldValue;

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
        verify(search, never()).search(any(), any(), any());
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
        verify(search, never()).search(any(), any(), any());
    }

    @Test
    void aLimitThatIsNoNumberIs4xxInTheEnvelope() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/search?q=oom&limit=ten", ApiKeys.READER);

        assertThat(reply.status()).isBetween(400, 404);
        Http.envelope(reply);
        verify(search, never()).search(any(), any(), any());
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
                        Map.of("failure_message", List.of("CUDA out of <em>memory</em>")),
                        Map.of())),
                null,
                Map.of());
        when(search.search(
                        eq(new TenantScope(ApiKeys.TENANT)),
                        argThat(query -> query.text().equals("memory")
                                && query.filter() == null
                                && query.limit() == 20
                                && query.order().relevance()
                                && query.facets().isEmpty()),
                        isNull()))
                .thenReturn(Uni.createFrom().item(page));

        Http.Reply reply = Http.get(base, "/api/v1/runs/search?q=memory", ApiKeys.READER);

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("total").asLong()).isEqualTo(1);
        JsonNode hit = reply.body().get("runs").get(0);
        assertThat(hit.get("run_id").asText()).isEqualTo("run-1");
        assertThat(hit.get("failure_type").asText()).isEqualTo("torch.cuda.OutOfMemoryError");
        assertThat(hit.get("highlights").get("failure_message").get(0).asText())
                .isEqualTo("CUDA out of <em>memory</em>");
        assertThat(reply.body().has("facets"))
                .as("no facets asked, none answered")
                .isFalse();
    }

    @Test
    void aBadSortIs400WithTheColumn() throws Exception {
        Http.Reply reply = Http.get(
                base,
                "/api/v1/runs/search?sort="
                        + java.net.URLEncoder.encode(
                                "metrics.loss ASC, attributes.colour", java.nio.charset.StandardCharsets.UTF_8),
                ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(400);
        JsonNode error = Http.envelope(reply);
        assertThat(error.get("code").asText()).isEqualTo("invalid_sort");
        assertThat(error.get("message").asText()).contains("colour");
        assertThat(error.get("details").get("column").asInt()).isEqualTo(30);
        verify(search, never()).search(any(), any(), any());
    }

    @Test
    void anUnknownFacetIs400NamingIt() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/search?facets=team,colour", ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(400);
        JsonNode error = Http.envelope(reply);
        assertThat(error.get("code").asText()).isEqualTo("invalid_facet");
        assertThat(error.get("details").get("facet").asText()).isEqualTo("colour");
        verify(search, never()).search(any(), any(), any());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101"})
    void aFacetSizeOutOfRangeIs400(String size) throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/runs/search?facets=team&facet_size=" + size, ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("invalid_facet_size");
    }

    @Test
    void aPageTokenOfAnotherSearchIs400() throws Exception {
        String token =
                new PageToken("another-search", List.of(FieldValue.of(1L), FieldValue.of("run-1")), null).encode();

        Http.Reply reply = Http.get(base, "/api/v1/runs/search?page_token=" + token, ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(400);
        JsonNode error = Http.envelope(reply);
        assertThat(error.get("code").asText()).isEqualTo("invalid_page_token");
        assertThat(error.get("message").asText()).contains("another search");
        verify(search, never()).search(any(), any(), any());
    }
}
