package dev.labjournal.query.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.common.rest.ApiException;
import jakarta.ws.rs.core.Response.Status;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.opensearch.client.opensearch._types.ErrorResponse;
import org.opensearch.client.opensearch._types.OpenSearchException;

/** Which failures of an OpenSearch call are an outage (503 for the client) and which are not. */
class SearchUnavailableTest {

    @Test
    void anUnreachableServerIsAnOutageHoweverItIsWrapped() {
        ConnectException refused = new ConnectException("Connection refused");

        assertThat(SearchUnavailable.isOutage(refused)).isTrue();
        assertThat(SearchUnavailable.isOutage(new CompletionException(refused))).isTrue();
        assertThat(SearchUnavailable.isOutage(new UncheckedIOException(refused)))
                .isTrue();
    }

    @Test
    void unavailableAndOverloadedAnswersAreOutagesAndOtherErrorsAreNot() {
        assertThat(SearchUnavailable.isOutage(answer(503, "cluster_block_exception")))
                .isTrue();
        assertThat(SearchUnavailable.isOutage(answer(429, "rejected_execution_exception")))
                .isTrue();
        assertThat(SearchUnavailable.isOutage(answer(400, "parsing_exception"))).isFalse();
        assertThat(SearchUnavailable.isOutage(answer(500, "null_pointer_exception")))
                .isFalse();
        assertThat(SearchUnavailable.isOutage(new IllegalStateException("a bug")))
                .isFalse();
    }

    @Test
    void theErrorIsA503WithAStableCode() {
        ApiException error = SearchUnavailable.error(new ConnectException("Connection refused"));

        assertThat(error.status()).isEqualTo(Status.SERVICE_UNAVAILABLE);
        assertThat(error.code()).isEqualTo("search_unavailable");
    }

    private static OpenSearchException answer(int status, String type) {
        return new OpenSearchException(
                ErrorResponse.of(r -> r.status(status).error(e -> e.type(type).reason("because"))));
    }
}
