package dev.labjournal.query.indexing.repository;

import dev.labjournal.query.indexing.mapping.RunDocuments;
import dev.labjournal.query.opensearch.SearchConfig;
import dev.labjournal.query.runs.Run;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import org.jboss.logging.Logger;
import org.opensearch.client.opensearch.OpenSearchAsyncClient;
import org.opensearch.client.opensearch._types.VersionType;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * The runs index: created at start from {@code search/runs-index.json}; written with the run's database version as
 * an external version, so a stale or replayed change can never overwrite newer data.
 */
@ApplicationScoped
public class RunIndex {

    private static final Logger LOG = Logger.getLogger(RunIndex.class);
    private static final int VERSION_CONFLICT = 409;
    private static final int TOO_MANY_REQUESTS = 429;
    private static final int SERVER_ERROR = 500;

    private final OpenSearchAsyncClient client;
    private final SearchConfig config;

    public RunIndex(OpenSearchAsyncClient client, SearchConfig config) {
        this.client = client;
        this.config = config;
    }

    void createIfMissing(@Observes StartupEvent event) throws IOException {
        String endpoint = "/" + config.index();
        OpenSearchGenericClient generic = new OpenSearchGenericClient(client._transport(), client._transportOptions());
        try (Response head = generic.executeAsync(
                        Requests.builder().method("HEAD").endpoint(endpoint).build())
                .join()) {
            if (head.getStatus() == 200) {
                return;
            }
        }
        try (InputStream mapping = RunIndex.class.getResourceAsStream("/search/runs-index.json");
                Response created = generic.executeAsync(Requests.builder()
                                .method("PUT")
                                .endpoint(endpoint)
                                .body(Body.from(mapping.readAllBytes(), "application/json"))
                                .build())
                        .join()) {
            if (created.getStatus() >= 300 && !isAlreadyExists(created)) {
                throw new IllegalStateException(
                        "cannot create index " + config.index() + ": HTTP " + created.getStatus() + " "
                                + created.getBody().map(Body::bodyAsString).orElse(""));
            }
            LOG.infof("created search index %s", config.index());
        }
    }

    private static boolean isAlreadyExists(Response response) {
        return response.getBody()
                .map(b -> b.bodyAsString().contains("resource_already_exists_exception"))
                .orElse(false);
    }

    /** Upserts the documents of these runs; a document newer than the given version is left as it is. */
    public Uni<Void> upsert(Collection<Run> runs) {
        if (runs.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<BulkOperation> operations = runs.stream()
                .map(run -> BulkOperation.of(op -> op.index(i -> i.index(config.index())
                        .id(RunDocuments.documentId(run.tenant(), run.runId()))
                        .version(run.version())
                        .versionType(VersionType.ExternalGte)
                        .document(RunDocuments.of(run)))))
                .toList();
        return Uni.createFrom()
                .completionStage(() -> {
                    try {
                        return client.bulk(b -> b.operations(operations));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .invoke(RunIndex::failOnErrors)
                .replaceWithVoid();
    }

    /**
     * Version conflicts mean newer data is indexed already: fine. Overload and server errors fail the batch, which is
     * retried. A document refused for its content is logged and skipped: PostgreSQL keeps the run, and blocking every
     * later change behind it would be worse.
     */
    private static void failOnErrors(BulkResponse response) {
        if (!response.errors()) {
            return;
        }
        for (BulkResponseItem item : response.items()) {
            if (item.error() == null || item.status() == VERSION_CONFLICT) {
                continue;
            }
            String problem = "OpenSearch refused document " + item.id() + " (HTTP " + item.status() + "): "
                    + item.error().type() + " " + item.error().reason();
            if (item.status() == TOO_MANY_REQUESTS || item.status() >= SERVER_ERROR) {
                throw new IllegalStateException(problem);
            }
            LOG.error(problem);
        }
    }
}
