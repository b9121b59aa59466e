package dev.labjournal.query.clientconfig.rest;

import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.query.clientconfig.ClientConfig;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * One address for clients: given query-service's URL and a key, an SDK learns the key's tenant and team and where
 * to publish events. Any valid key may ask; it learns nothing of other tenants.
 */
@Path("/api/v1/client-config")
@Produces(MediaType.APPLICATION_JSON)
public class ClientConfigResource {

    private final CurrentCaller currentCaller;
    private final ClientConfig config;

    public ClientConfigResource(CurrentCaller currentCaller, ClientConfig config) {
        this.currentCaller = currentCaller;
        this.config = config;
    }

    /** Where a client of this key publishes. */
    public record View(String tenant, String team, List<String> scopes, String ingestUrl, Kafka kafka) {}

    /** Kafka as a client reaches it. */
    public record Kafka(String bootstrapServers, String topic) {}

    @GET
    @NonBlocking
    public View get() {
        Caller caller = currentCaller.get();
        List<String> scopes =
                caller.scopes().stream().map(Scope::wireName).sorted().toList();
        return new View(
                caller.tenantId(),
                caller.team(),
                scopes,
                config.ingestUrl(),
                new Kafka(config.kafkaBootstrapServers(), config.runEventsTopic()));
    }
}
