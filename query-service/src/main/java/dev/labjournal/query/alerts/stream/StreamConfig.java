package dev.labjournal.query.alerts.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The Server-Sent Events stream of alerts, GET /api/v1/alerts/stream. */
@ConfigMapping(prefix = "labjournal.alerts.stream")
public interface StreamConfig {

    /**
     * How often an idle stream sends a {@code : keep-alive} comment, so that proxies do not close it; each heartbeat
     * also looks for alerts a lost notification did not announce.
     */
    @WithDefault("15s")
    Duration heartbeat();

    /** Alerts read from PostgreSQL at a time for one stream: a slow client holds at most one page. */
    @WithDefault("100")
    int pageSize();
}
