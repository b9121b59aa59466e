package dev.labjournal.query.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.fasterxml.jackson.databind.JsonNode;
import dev.labjournal.common.tenancy.ApiKeyRepository;
import dev.labjournal.query.compare.ComparedRun;
import dev.labjournal.query.compare.Comparison;
import dev.labjournal.query.compare.service.CompareService;
import dev.labjournal.query.tenancy.TenantScope;
import io.quarkus.test.InjectMock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/compare}: the list of ids (distinct, in order, 1 to 100), scope, and the tenant of the key. */
@QuarkusTest
class CompareResourceTest {

    @TestHTTPResource("/")
    URI base;

    @InjectMock
    ApiKeyRepository keys;

    @InjectMock
    CompareService compare;

    @BeforeEach
    void keys() {
        ApiKeys.stub(keys);
        when(compare.compare(any(), anyList()))
                .thenReturn(Uni.createFrom()
                        .item(new Comparison(List.of(), List.of(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>())));
    }

    @Test
    void duplicatesAreIgnoredAndTheOrderIsKeptInTheKeysTenant() throws Exception {
        Http.Reply reply = Http.get(base, "/api/v1/compare?run_ids=b,a,%20b,,c,a&tenant=other", ApiKeys.READER);

        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().fieldNames())
                .toIterable()
                .containsExactly("runs", "not_found", "param_diff", "shared_params", "metrics");
        verify(compare).compare(new TenantScope(ApiKeys.TENANT), List.of("b", "a", "c"));
    }

    @Test
    void aRunningRunShowsNullForWhatItDoesNotHaveYet() throws Exception {
        Comparison.RunSummary running = new Comparison.RunSummary(
                "run-1", "r", "p", "vision", "ada", "running", null, OffsetDateTime.now(), null, null);
        Comparison.RunSummary failed = new Comparison.RunSummary(
                "run-2",
                "r",
                "p",
                "vision",
                "ada",
                "failed",
                new ComparedRun.Failure("OOM", "out of memory", null),
                OffsetDateTime.now(),
                OffsetDateTime.now(),
                0L);
        when(compare.compare(any(), anyList()))
                .thenReturn(Uni.createFrom()
                        .item(new Comparison(
                                List.of(running, failed),
                                List.of(),
                                new TreeMap<>(),
                                new TreeMap<>(),
                                new TreeMap<>())));

        Http.Reply reply = Http.get(base, "/api/v1/compare?run_ids=run-1,run-2", ApiKeys.READER);

        JsonNode first = reply.body().get("runs").get(0);
        for (String member : List.of("failure", "end_time", "duration_ms")) {
            assertThat(first.has(member)).as(member).isTrue();
            assertThat(first.get(member).isNull()).as(member).isTrue();
        }
        assertThat(reply.body().get("runs").get(1).get("failure").has("step")).isTrue();
    }

    @Test
    void noIdsIsA400() throws Exception {
        for (String query : List.of("", "?run_ids=", "?run_ids=,%20,")) {
            Http.Reply reply = Http.get(base, "/api/v1/compare" + query, ApiKeys.READER);

            assertThat(reply.status()).as("%s: %s", query, reply.body()).isEqualTo(400);
            assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("invalid_run_ids");
            assertThat(reply.body().get("error").get("details").get("param").asText())
                    .isEqualTo("run_ids");
        }
        verify(compare, never()).compare(any(), anyList());
    }

    @Test
    void aHundredDistinctIdsAreFineAndMoreAreA400() throws Exception {
        String hundred = ids(100) + ",run-1";
        assertThat(Http.get(base, "/api/v1/compare?run_ids=" + hundred, ApiKeys.READER)
                        .status())
                .isEqualTo(200);

        Http.Reply reply = Http.get(base, "/api/v1/compare?run_ids=" + ids(101), ApiKeys.READER);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(Http.envelope(reply).get("code").asText()).isEqualTo("invalid_run_ids");
        assertThat(reply.body().get("error").get("message").asText())
                .contains("101")
                .contains("100");
    }

    @Test
    void aHundredLongIdsFitInTheRequestLine() throws Exception {
        String longIds = IntStream.rangeClosed(1, 100)
                .mapToObj(i -> String.format("run-%03d-%s", i, "x".repeat(120)))
                .collect(Collectors.joining(","));

        assertThat(Http.get(base, "/api/v1/compare?run_ids=" + longIds, ApiKeys.READER)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aKeyWithoutReadScopeIs403AndNoKeyIs401() throws Exception {
        assertThat(Http.get(base, "/api/v1/compare?run_ids=a", ApiKeys.INGESTER).status())
                .isEqualTo(403);
        assertThat(Http.get(base, "/api/v1/compare?run_ids=a", null).status()).isEqualTo(401);
        assertThat(Http.get(base, "/api/v1/compare?run_ids=a", ApiKeys.PLATFORM_ADMIN)
                        .status())
                .isEqualTo(403);
        verify(compare, never()).compare(any(), anyList());
    }

    private static String ids(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "run-" + i).collect(Collectors.joining(","));
    }
}
