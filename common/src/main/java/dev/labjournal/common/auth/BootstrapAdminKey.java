package dev.labjournal.common.auth;

import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Makes the bootstrap administrator key (from the environment) valid, so a fresh platform can be administered. */
public class BootstrapAdminKey {

    private static final Logger LOG = Logger.getLogger(BootstrapAdminKey.class);

    void onStart(@Observes StartupEvent event, AuthConfig config, Pool pool) {
        config.bootstrapAdminKey().ifPresent(secret -> {
            pool.preparedQuery("INSERT INTO api_keys (id, tenant_id, scopes, key_hash, key_prefix, description)"
                            + " VALUES ($1, NULL, 'admin,ingest,read', $2, $3, 'bootstrap administrator key')"
                            + " ON CONFLICT (key_hash) DO NOTHING")
                    .execute(Tuple.of(UUID.randomUUID(), ApiKeySecrets.hash(secret), ApiKeySecrets.prefix(secret)))
                    .await()
                    .indefinitely();
            LOG.info("bootstrap administrator key is active");
        });
    }
}
