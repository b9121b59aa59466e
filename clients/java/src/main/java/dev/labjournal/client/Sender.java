package dev.labjournal.client;

import java.lang.System.Logger.Level;
import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The run's background thread: takes batches from the queue, learns the target once, encodes and delivers. Failures
 * that may pass later are retried with backoff, for as long as the run is open and until the close deadline after;
 * events the server refuses are sent one by one so that only the refused ones are dropped; a refused key stops the
 * run's delivery. Every outcome that loses events is logged as a warning.
 */
final class Sender implements Runnable {

    private static final System.Logger LOG = System.getLogger(LabJournal.class.getPackageName());

    private final EventQueue queue;
    private final LabJournalConfig config;
    private final TargetResolver resolver;
    private final HttpClient http;
    private final String project;
    private final String runId;
    private final Supplier<Item.Control> heartbeat;
    private EventEncoder encoder;
    private Transport transport;
    private boolean failing;
    private boolean disabled;

    Sender(
            EventQueue queue,
            LabJournalConfig config,
            HttpClient http,
            String project,
            String runId,
            Supplier<Item.Control> heartbeat) {
        this.queue = queue;
        this.config = config;
        this.resolver = new TargetResolver(config, http);
        this.http = http;
        this.project = project;
        this.runId = runId;
        this.heartbeat = heartbeat;
    }

    @Override
    public void run() {
        try {
            List<Item> batch;
            while ((batch = queue.next(config.maxBatchPoints(), config.flushInterval(), config.heartbeatInterval()))
                    != null) {
                deliver(batch.isEmpty() ? List.of(heartbeat.get()) : batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            int lost = queue.abandon();
            LOG.log(
                    Level.ERROR,
                    "Lab Journal: the sender of run " + runId + " stopped (" + lost + " waiting events lost, later"
                            + " ones too)",
                    e);
        } finally {
            if (transport != null) {
                transport.close();
            }
        }
    }

    private void deliver(List<Item> items) throws InterruptedException {
        if (disabled) {
            return;
        }
        Backoff backoff = backoff();
        while (encoder == null) {
            try {
                Target target = resolver.resolve();
                transport = open(target);
                encoder = new EventEncoder(target.tenant(), project, runId);
            } catch (DeliveryException e) {
                if (!retryAfter(e, backoff, items.size())) {
                    return;
                }
            }
        }
        send(encoder.encode(items), backoff);
    }

    private void send(List<Outgoing> events, Backoff backoff) throws InterruptedException {
        while (true) {
            try {
                transport.send(events);
                if (failing) {
                    failing = false;
                    LOG.log(Level.INFO, "Lab Journal: delivering the events of run " + runId + " again");
                }
                return;
            } catch (DeliveryException e) {
                if (e.kind() != DeliveryException.Kind.REFUSED_EVENTS) {
                    if (!retryAfter(e, backoff, events.size())) {
                        return;
                    }
                } else if (events.size() == 1) {
                    LOG.log(
                            Level.WARNING,
                            "Lab Journal: event " + events.get(0).id() + " of run " + runId + " was refused and is"
                                    + " dropped: " + e.getMessage());
                    return;
                } else {
                    for (Outgoing event : events) {
                        send(List.of(event), backoff());
                    }
                    return;
                }
            }
        }
    }

    /** Waits before the next try and returns true, or gives up (refused client, close deadline) and returns false. */
    private boolean retryAfter(DeliveryException e, Backoff backoff, int events) throws InterruptedException {
        if (e.kind() == DeliveryException.Kind.REFUSED_CLIENT) {
            disabled = true;
            int rest = queue.abandon();
            LOG.log(
                    Level.WARNING,
                    "Lab Journal: " + e.getMessage() + "; nothing of run " + runId + " is sent (" + (events + rest)
                            + " waiting events dropped, later ones too)");
            return false;
        }
        long left = queue.nanosLeft();
        if (left <= 0) {
            int rest = queue.abandon();
            LOG.log(
                    Level.WARNING,
                    "Lab Journal: gave up on run " + runId + " after the close timeout of " + config.closeTimeout()
                            + ": " + (events + rest) + " events (or points) not delivered; last error: "
                            + e.getMessage());
            return false;
        }
        if (!failing) {
            failing = true;
            LOG.log(
                    Level.WARNING,
                    "Lab Journal: cannot deliver the events of run " + runId + " now, retrying with backoff: "
                            + e.getMessage());
        }
        TimeUnit.NANOSECONDS.sleep(Math.min(backoff.nextDelayNanos(), left));
        return true;
    }

    private Transport open(Target target) throws DeliveryException {
        if (config.transport() == LabJournalConfig.Transport.HTTP) {
            return new HttpTransport(http, target.ingestUrl(), config.apiKey());
        }
        try {
            return new KafkaTransport(target.kafkaBootstrap(), target.topic());
        } catch (RuntimeException e) {
            throw new DeliveryException(
                    DeliveryException.Kind.REFUSED_CLIENT,
                    "no Kafka producer for " + target.kafkaBootstrap() + ": " + e.getMessage(),
                    e);
        }
    }

    private Backoff backoff() {
        return new Backoff(config.retryInitialBackoff(), config.retryMaxBackoff());
    }
}
