package dev.labjournal.query.admin.service;

import dev.labjournal.common.rest.ApiException;
import dev.labjournal.common.tenancy.Tenant;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/** Creates tenants (organisations). */
@ApplicationScoped
public class TenantService {

    /** The same rule as the {@code tenant} attribute of the event schemas. */
    private static final Pattern TENANT_ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

    @WithTransaction
    public Uni<Tenant> create(String id, String name) {
        if (id == null || !TENANT_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "invalid_tenant",
                    "id must be 1 to 63 lower-case letters, digits or '-', starting with a letter or digit",
                    java.util.Map.of("path", "$.id"));
        }
        return Tenant.<Tenant>findById(id).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().failure(ApiException.conflict("tenant '" + id + "' exists already"));
            }
            Tenant tenant = new Tenant();
            tenant.id = id;
            tenant.name = name == null || name.isBlank() ? id : name;
            tenant.createdAt = OffsetDateTime.now();
            return tenant.<Tenant>persist();
        });
    }
}
