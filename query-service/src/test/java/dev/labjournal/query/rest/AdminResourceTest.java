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
import dev.labjournal.query.indexing.repository.IndexFailures;
import dev.labjournal.query.indexing.service.IndexRebuild;
import dev.labjournal.query.indexing.service.IndexingService;
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

/** The index administration of {@code /api/v1/admin}: who may list index failures and rebuild, and in which scope. */
@QuarkusTest
class AdminResourceTest {

    @TestHTTPResource("/")
    URI base;

    @InjectMock
    ApiKeyRepository keys;

    @InjectMock
    IndexingService indexing;

    @InjectMock
    IndexRebuild rebuilds;

    private static final IndexFailures.Page ONE_FAILURE = new IndexFailures.Page(
            1,
            List.of(Map.of(
                    "tenant", ApiKeys.TENANT,
                    "run_id", "wide-1",
                    "error_type", "mapper_parsing_exception",
                    "reason", "The number of nested documents has exceeded the allowed limit of [10000].")));

    @BeforeEach
    void keys() {
        ApiKeys.stub(keys);
        when(indexing.failures(any(), anyInt())).thenReturn(Uni.createFrom().item(ONE_FAILURE));
    }

    @Test
    void indexFailuresWithoutAKeyAre401() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/admin/index-failures", null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void indexFailuresNeedTheAdminScope() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/admin/index-failures", ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("forbidden");
        verify(indexing, never()).failures(any(), anyInt());
    }

    @Test
    void anInvalidLimitIs400() throws Exception {
        for (String limit : List.of("0", "501")) {
            Http.Reply reply = Http.get(base, "/api/v1/admin/index-failures?limit=" + limit, ApiKeys.TENANT_ADMIN);

            assertThat(reply.status()).isEqualTo(400);
            JsonNode error = Http.envelope(reply);
            assertThat(error.get("code").asText()).isEqualTo("invalid_limit");
            assertThat(error.get("details").get("param").asText()).isEqualTo("limit");
        }
        verify(indexing, never()).failures(any(), anyInt());
    }

    @Test
    void aTenantAdministratorSeesItsOwnTenantWhateverTenantSays() throws Exception {
        Http.Reply reply =
                Http.get(base, "/api/v1/admin/index-failures?tenant=someone-else&limit=7", ApiKeys.TENANT_ADMIN);

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("total").asLong()).isEqualTo(1);
        assertThat(reply.body().get("failures").get(0).get("run_id").asText()).isEqualTo("wide-1");
        verify(indexing).failures(new TenantScope(ApiKeys.TENANT), 7);
    }

    @Test
    void aPlatformAdministratorSeesOneTenantOrAll() throws Exception {
        assertThat(Http.get(base, "/api/v1/admin/index-failures?tenant=beta", ApiKeys.PLATFORM_ADMIN)
                        .status())
                .isEqualTo(200);
        verify(indexing).failures(new TenantScope("beta"), 50);

        assertThat(Http.get(base, "/api/v1/admin/index-failures", ApiKeys.PLATFORM_ADMIN)
                        .status())
                .isEqualTo(200);
        verify(indexing).failures(isNull(), eq(50));
    }

    @Test
    void onlyAPlatformAdministratorRebuilds() throws Exception {
        Http.Reply reply = Http.post(base, "/api/v1/admin/reindex?rebuild=true", ApiKeys.TENANT_ADMIN);

        assertThat(reply.status()).isEqualTo(403);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("forbidden");
        verify(rebuilds, never()).rebuild();
    }

    @Test
    void aRebuildAnswersWithTheNewIndex() throws Exception {
        when(rebuilds.rebuild())
                .thenReturn(Uni.createFrom()
                        .item(new IndexRebuild.Rebuilt("labjournal-runs-v3", "labjournal-runs-v2", 42, 0, 1, 1234)));

        Http.Reply reply = Http.post(base, "/api/v1/admin/reindex?rebuild=true", ApiKeys.PLATFORM_ADMIN);

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().get("index").asText()).isEqualTo("labjournal-runs-v3");
        assertThat(reply.body().get("previous").asText()).isEqualTo("labjournal-runs-v2");
        assertThat(reply.body().get("reindexed").asLong()).isEqualTo(42);
        assertThat(reply.body().get("mapping_version").asInt()).isEqualTo(1);
    }

    @Test
    void aTenantReindexStaysInTheKeysTenant() throws Exception {
        when(indexing.reindexAll(any())).thenReturn(Uni.createFrom().item(3L));

        Http.Reply reply = Http.post(base, "/api/v1/admin/reindex?tenant=someone-else", ApiKeys.TENANT_ADMIN);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().get("reindexed").asLong()).isEqualTo(3);
        verify(indexing).reindexAll(ApiKeys.TENANT);
    }
}
