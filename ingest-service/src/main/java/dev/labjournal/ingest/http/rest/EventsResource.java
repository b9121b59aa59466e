package dev.labjournal.ingest.http.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.ingest.http.service.HttpIngestService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** HTTP ingest: validates, authenticates and produces to Kafka; the Kafka consumer does the rest. */
@Path("/api/v1/events")
public class EventsResource {

    static final String SINGLE = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    private final CurrentCaller currentCaller;
    private final HttpIngestService ingest;

    public EventsResource(CurrentCaller currentCaller, HttpIngestService ingest) {
        this.currentCaller = currentCaller;
        this.ingest = ingest;
    }

    @POST
    @Consumes({SINGLE, BATCH, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        Caller caller = currentCaller.get();
        caller.require(Scope.INGEST);
        String tenant = caller.requireTenant();
        boolean batch = contentType != null && contentType.startsWith(BATCH);
        return ingest.publish(tenant, body, batch)
                .map(published -> Response.status(Response.Status.ACCEPTED)
                        .entity(new Accepted(published.accepted(), published.warnings()))
                        .build());
    }

    /**
     * The body of a 202: the ids of the accepted events, in request order, and warnings about them (left out when
     * there are none).
     */
    public record Accepted(
            List<String> accepted,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<HttpIngestService.EventWarning> warnings) {}
}
