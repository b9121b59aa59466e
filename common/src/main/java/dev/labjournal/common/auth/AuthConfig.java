package dev.labjournal.common.auth;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "labjournal.auth")
public interface AuthConfig {

    /** A platform administrator key made valid at start (env LJ_BOOTSTRAP_ADMIN_KEY); none by default. */
    Optional<String> bootstrapAdminKey();
}
