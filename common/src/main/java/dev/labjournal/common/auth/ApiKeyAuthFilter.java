package dev.labjournal.common.auth;

import dev.labjournal.common.rest.ApiErrors;
import dev.labjournal.common.tenancy.ApiKey;
import dev.labjournal.common.tenancy.ApiKeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Authenticates every {@code /api/} request by its bearer API key. */
public class ApiKeyAuthFilter {

    private final ApiKeyRepository keys;
    private final CurrentCaller currentCaller;

    public ApiKeyAuthFilter(ApiKeyRepository keys, CurrentCaller currentCaller) {
        this.keys = keys;
        this.currentCaller = currentCaller;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/api/")) {
            return Uni.createFrom().nullItem();
        }
        Optional<String> secret = BearerToken.parse(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (secret.isEmpty()) {
            return Uni.createFrom()
                    .item(ApiErrors.response(
                            Response.Status.UNAUTHORIZED,
                            "unauthenticated",
                            "missing API key: send 'Authorization: Bearer <key>'"));
        }
        return keys.findActiveByHash(ApiKeySecrets.hash(secret.get())).map(this::admit);
    }

    private Response admit(ApiKey key) {
        if (key == null) {
            return ApiErrors.response(Response.Status.UNAUTHORIZED, "unauthenticated", "unknown or revoked API key");
        }
        currentCaller.set(new Caller(key.id, key.tenantId, key.team, Scope.parseAll(key.scopes)));
        return null;
    }
}
