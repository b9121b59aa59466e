package dev.labjournal.common.auth;

import dev.labjournal.common.rest.ApiException;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: the tenant comes from the API key, never from a request parameter.
 *
 * @param tenantId the key's tenant, or null for a platform administrator key
 */
public record Caller(UUID keyId, String tenantId, String team, Set<Scope> scopes) {

    public boolean isPlatformAdmin() {
        return tenantId == null && scopes.contains(Scope.ADMIN);
    }

    /** Fails with 403 unless the key has the scope. */
    public void require(Scope scope) {
        if (!scopes.contains(scope)) {
            throw ApiException.forbidden("this API key lacks the '" + scope.wireName() + "' scope");
        }
    }

    /** Fails with 403 unless the key has at least one of the scopes (the first named in the message). */
    public void requireAnyOf(Scope scope, Scope... alternatives) {
        if (scopes.contains(scope)) {
            return;
        }
        StringBuilder names = new StringBuilder("'" + scope.wireName() + "'");
        for (Scope alternative : alternatives) {
            if (scopes.contains(alternative)) {
                return;
            }
            names.append(" or '").append(alternative.wireName()).append("'");
        }
        throw ApiException.forbidden("this API key lacks the " + names + " scope");
    }

    /** The tenant every read and write of this request is confined to; 403 for a key without one. */
    public String requireTenant() {
        if (tenantId == null) {
            throw ApiException.forbidden("a platform administrator key has no tenant: use a key of the tenant");
        }
        return tenantId;
    }
}
