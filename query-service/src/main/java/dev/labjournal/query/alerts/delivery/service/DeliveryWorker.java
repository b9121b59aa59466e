package dev.labjournal.query.alerts.delivery.service;

import dev.labjournal.query.alerts.delivery.AlertNotifications;
import dev.labjournal.query.alerts.delivery.DeliveryConfig;
import dev.labjournal.query.alerts.delivery.repository.OutboxJob;
import dev.labjournal.query.alerts.delivery.repository.OutboxRepository;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The outbox workers of this instance: woken by every alert notification, by the poll timer (scheduled retries, a
 * missed notification) and by every finished delivery, they claim as many due deliveries as they have free slots
 * ({@code concurrency}) and deliver them concurrently. Claims are disjoint across instances ({@link
 * OutboxRepository}), so with several instances each delivery is still made by one of them at a time.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final DeliveryConfig config;
    private final OutboxRepository outbox;
    private final DeliveryService deliveries;
    private final AlertNotifications notifications;
    private final Vertx vertx;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile boolean stopped;
    private Cancellable listening;
    private long pollTimer = -1;

    public DeliveryWorker(
            DeliveryConfig config,
            OutboxRepository outbox,
            DeliveryService deliveries,
            AlertNotifications notifications,
            Vertx vertx) {
        this.config = config;
        this.outbox = outbox;
        this.deliveries = deliveries;
        this.notifications = notifications;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("alert delivery is off on this instance (labjournal.alerts.delivery.enabled=false)");
            return;
        }
        listening = notifications.stream()
                .onOverflow()
                .dropPreviousItems()
                .subscribe()
                .with(n -> wake());
        pollTimer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> wake());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (listening != null) {
            listening.cancel();
        }
        if (pollTimer >= 0) {
            vertx.cancelTimer(pollTimer);
        }
    }

    /** Claims due deliveries unless a claim is under way (which then claims again when it is done). */
    void wake() {
        wanted.set(true);
        if (stopped || !claiming.compareAndSet(false, true)) {
            return;
        }
        wanted.set(false);
        int free = config.concurrency() - inFlight.get();
        if (free <= 0) {
            claimed(List.of(), free);
            return;
        }
        outbox.claim(free, config.lease()).subscribe().with(jobs -> claimed(jobs, free), e -> {
            LOG.warnf("claiming alert deliveries failed (retried on the next poll): %s", e.getMessage());
            claimed(List.of(), free);
        });
    }

    private void claimed(List<OutboxJob> jobs, int free) {
        inFlight.addAndGet(jobs.size());
        claiming.set(false);
        for (OutboxJob job : jobs) {
            deliveries
                    .deliver(job)
                    .onTermination()
                    .invoke(this::finished)
                    .subscribe()
                    .with(ok -> {}, e -> {});
        }
        if ((free > 0 && jobs.size() == free) || wanted.get()) {
            wake();
        }
    }

    private void finished() {
        inFlight.decrementAndGet();
        wake();
    }
}
