package dev.labjournal.query.rest;

import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.when;

import dev.labjournal.common.auth.ApiKeySecrets;
import dev.labjournal.common.tenancy.ApiKey;
import dev.labjournal.common.tenancy.ApiKeyRepository;
import io.smallrye.mutiny.Uni;
import java.util.UUID;

/** The keys the slices call with: the mocked repository answers for their hashes, and for nothing else. */
final class ApiKeys {

    static final String TENANT = "acme";
    static final String READER = "lj_read_slice-reader";
    static final String INGESTER = "lj_ingest_slice-ingester";
    static final String TENANT_ADMIN = "lj_admin_slice-tenant-admin";
    static final String PLATFORM_ADMIN = "lj_admin_slice-platform-admin";

    private ApiKeys() {}

    static void stub(ApiKeyRepository keys) {
        when(keys.findActiveByHash(anyString())).thenReturn(Uni.createFrom().nullItem());
        stub(keys, READER, TENANT, "read");
        stub(keys, INGESTER, TENANT, "ingest");
        stub(keys, TENANT_ADMIN, TENANT, "admin,read");
        stub(keys, PLATFORM_ADMIN, null, "admin,ingest,read");
    }

    private static void stub(ApiKeyRepository keys, String secret, String tenant, String scopes) {
        ApiKey key = new ApiKey();
        key.id = UUID.randomUUID();
        key.tenantId = tenant;
        key.scopes = scopes;
        key.keyHash = ApiKeySecrets.hash(secret);
        when(keys.findActiveByHash(key.keyHash)).thenReturn(Uni.createFrom().item(key));
    }
}
