package dev.labjournal.query.admin.service;

import dev.labjournal.common.auth.ApiKeySecrets;
import dev.labjournal.common.auth.Caller;
import dev.labjournal.common.auth.Scope;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.common.tenancy.ApiKey;
import dev.labjournal.common.tenancy.ApiKeyRepository;
import dev.labjournal.common.tenancy.Tenant;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Issues and revokes API keys. A key's secret exists only in the response that created it. */
@ApplicationScoped
public class ApiKeyService {

    private final ApiKeyRepository keys;

    public ApiKeyService(ApiKeyRepository keys) {
        this.keys = keys;
    }

    /** A new key with its secret, which is never shown again. */
    public record IssuedKey(UUID id, String key, String prefix, String tenant, String team, Set<String> scopes) {}

    @WithTransaction
    public Uni<IssuedKey> issue(Caller caller, String tenantId, String team, Set<Scope> scopes, String description) {
        if (tenantId == null || tenantId.isBlank()) {
            throw ApiException.badRequest("invalid_request", "tenant is required", Map.of("path", "$.tenant"));
        }
        if (scopes.isEmpty()) {
            throw ApiException.badRequest(
                    "invalid_request", "scopes must name at least one of " + Scope.KNOWN, Map.of("path", "$.scopes"));
        }
        requireAdminOf(caller, tenantId);
        return Tenant.<Tenant>findById(tenantId).chain(tenant -> {
            if (tenant == null) {
                return Uni.createFrom().failure(ApiException.notFound("tenant '" + tenantId + "' does not exist"));
            }
            String secret = ApiKeySecrets.newSecret(scopes.contains(Scope.ADMIN) ? "admin" : "key");
            ApiKey key = new ApiKey();
            key.id = UUID.randomUUID();
            key.tenantId = tenantId;
            key.team = team;
            key.scopes = Scope.joinAll(scopes);
            key.keyHash = ApiKeySecrets.hash(secret);
            key.keyPrefix = ApiKeySecrets.prefix(secret);
            key.description = description;
            key.createdAt = OffsetDateTime.now();
            return keys.persist(key)
                    .map(saved -> new IssuedKey(
                            saved.id,
                            secret,
                            saved.keyPrefix,
                            saved.tenantId,
                            saved.team,
                            Set.of(saved.scopes.split(","))));
        });
    }

    @WithTransaction
    public Uni<Void> revoke(Caller caller, UUID id) {
        return keys.findById(id).chain(key -> {
            if (key == null || key.revokedAt != null || !canAdminister(caller, key.tenantId)) {
                return Uni.createFrom().failure(ApiException.notFound("no active API key " + id));
            }
            key.revokedAt = OffsetDateTime.now();
            return Uni.createFrom().voidItem();
        });
    }

    private static void requireAdminOf(Caller caller, String tenantId) {
        if (!canAdminister(caller, tenantId)) {
            throw ApiException.forbidden("this API key cannot administer tenant '" + tenantId + "'");
        }
    }

    /** Platform administrators administer every tenant; a tenant's admin keys only their own. */
    private static boolean canAdminister(Caller caller, String tenantId) {
        return caller.scopes().contains(Scope.ADMIN)
                && (caller.isPlatformAdmin() || (tenantId != null && tenantId.equals(caller.tenantId())));
    }
}
