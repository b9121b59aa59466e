package dev.labjournal.query.alerts.rest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of GET /api/v1/alerts. */
@ConfigMapping(prefix = "labjournal.alerts.api")
public interface AlertsApiConfig {

    /** Alerts per page when the request gives no {@code limit}. */
    @WithDefault("50")
    int defaultLimit();

    /** The most alerts one page may hold. */
    @WithDefault("200")
    int maxLimit();

    /** The latest attempts listed per delivery (older ones are counted in {@code attempt_count}, not listed). */
    @WithDefault("50")
    int attemptsPerDelivery();
}
