package dev.labjournal.query.alerts.delivery;

import dev.labjournal.query.alerts.AlertsConfig;
import dev.labjournal.query.alerts.store.AlertStore;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The {@value AlertStore#CHANNEL} notifications of this database, received on one dedicated connection of this
 * instance ({@code LISTEN}): every instance hears of every stored alert at its commit, whichever instance stored it.
 *
 * <p>A notification is only a wake-up: readers always read the alerts themselves from PostgreSQL, so a notification
 * lost while the connection was down costs latency, never an alert. After every (re)connection {@link #stream()}
 * emits {@link Notification#ANY}, which wakes every reader.
 */
@ApplicationScoped
public class AlertNotifications {

    private static final Logger LOG = Logger.getLogger(AlertNotifications.class);
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    /**
     * A stored alert's tenant and sequence number.
     *
     * @param tenant the tenant, or null for "anything may have changed" (after a reconnection)
     */
    public record Notification(String tenant, long seq) {
        public static final Notification ANY = new Notification(null, 0);

        /** Whether a reader of {@code tenant} should look for new alerts. */
        public boolean concerns(String readerTenant) {
            return tenant == null || tenant.equals(readerTenant);
        }

        /** Parses a {@code tenant:seq} payload; null when it is not one. */
        static Notification parse(String payload) {
            int colon = payload == null ? -1 : payload.lastIndexOf(':');
            if (colon <= 0) {
                return null;
            }
            try {
                return new Notification(payload.substring(0, colon), Long.parseLong(payload.substring(colon + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    private final BroadcastProcessor<Notification> processor = BroadcastProcessor.create();
    private final boolean listen;
    private final Vertx vertx;
    private final PgConnectOptions options;
    private PgSubscriber subscriber;
    private volatile boolean stopped;

    public AlertNotifications(
            Vertx vertx,
            AlertsConfig alerts,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.vertx = vertx;
        this.listen = alerts.listen();
        this.options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""))
                .setUser(user)
                .setPassword(password);
    }

    /**
     * Every notification from now on, hot: a subscriber must not fall behind (apply an overflow strategy such as
     * {@code onOverflow().dropPreviousItems()} right away; a notification is a wake-up, the latest one suffices).
     */
    public Multi<Notification> stream() {
        return processor;
    }

    void start(@Observes StartupEvent event) {
        if (!listen) {
            return;
        }
        subscriber = PgSubscriber.subscriber(vertx, options)
                .reconnectPolicy(retries -> stopped ? -1L : RECONNECT.toMillis())
                .closeHandler(() -> {
                    if (!stopped) {
                        LOG.warn("lost the alert notification connection; reconnecting");
                    }
                });
        subscriber
                .channel(AlertStore.CHANNEL)
                .handler(payload -> {
                    Notification notification = Notification.parse(payload);
                    if (notification != null) {
                        processor.onNext(notification);
                    }
                })
                .subscribeHandler(() -> processor.onNext(Notification.ANY));
        connect();
    }

    private void connect() {
        subscriber
                .connect()
                .subscribe()
                .with(ok -> LOG.infof("listening for alert notifications on %s", AlertStore.CHANNEL), failure -> {
                    if (!stopped) {
                        LOG.warnf("cannot listen for alert notifications yet (%s); retrying", failure.getMessage());
                        vertx.setTimer(RECONNECT.toMillis(), id -> connect());
                    }
                });
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
        processor.onComplete();
    }
}
