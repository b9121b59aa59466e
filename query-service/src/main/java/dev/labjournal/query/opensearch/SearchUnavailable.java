package dev.labjournal.query.opensearch;

import dev.labjournal.common.rest.ApiException;
import java.io.IOException;
import org.opensearch.client.opensearch._types.OpenSearchException;

/**
 * Tells an OpenSearch outage (unreachable, or answering that it cannot serve for now: 503, 429) from other failures,
 * so that a search during one answers a 503 {@code search_unavailable} at once instead of a 500. Readiness
 * ({@link OpenSearchReadiness}) reports the same outage.
 */
public final class SearchUnavailable {

    private static final int UNAVAILABLE = 503;
    private static final int TOO_MANY_REQUESTS = 429;

    private SearchUnavailable() {}

    /** Whether this failure of an OpenSearch call means OpenSearch is down or overloaded for now. */
    public static boolean isOutage(Throwable failure) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof IOException) {
                return true;
            }
            if (e instanceof OpenSearchException o && (o.status() == UNAVAILABLE || o.status() == TOO_MANY_REQUESTS)) {
                return true;
            }
        }
        return false;
    }

    /** The error of a request that failed on an outage. */
    public static ApiException error(Throwable failure) {
        return ApiException.unavailable(
                "search_unavailable", "the search index is unavailable for now; try again shortly");
    }
}
