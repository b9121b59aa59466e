package dev.labjournal.ingest.normalise.service;

import dev.labjournal.ingest.config.IngestConfig;
import dev.labjournal.ingest.domain.BatchChanges;
import dev.labjournal.ingest.domain.IngestResult;
import dev.labjournal.ingest.domain.InvalidEventException;
import dev.labjournal.ingest.domain.MetricBatch;
import dev.labjournal.ingest.domain.MetricKey;
import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.ingest.domain.RunExtras;
import dev.labjournal.ingest.normalise.repository.EventLedger;
import dev.labjournal.ingest.normalise.repository.MetricKeyRepository;
import dev.labjournal.ingest.normalise.repository.MetricRepository;
import dev.labjournal.ingest.normalise.repository.RunRepository;
import dev.labjournal.ingest.normalise.repository.RunRepository.Touch;
import dev.labjournal.ingest.normalise.repository.RunRepository.Touched;
import dev.labjournal.ingest.normalise.repository.TenantLookup;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Normalises a batch of validated run events into PostgreSQL in ONE transaction: idempotent by event id, so
 * replaying any part of the topic changes nothing.
 */
@ApplicationScoped
public class IngestService {

    private static final Logger LOG = Logger.getLogger(IngestService.class);

    private final Pool pool;
    private final TenantLookup tenants;
    private final EventLedger ledger;
    private final RunRepository runs;
    private final MetricRepository metrics;
    private final MetricKeyRepository metricKeys;
    private final RunEventApplier applier;
    private final FaultInjection faults;
    private final IngestConfig config;
    private final MeterRegistry meters;

    public IngestService(
            Pool pool,
            TenantLookup tenants,
            EventLedger ledger,
            RunRepository runs,
            MetricRepository metrics,
            MetricKeyRepository metricKeys,
            RunEventApplier applier,
            FaultInjection faults,
            IngestConfig config,
            MeterRegistry meters) {
        this.pool = pool;
        this.tenants = tenants;
        this.ledger = ledger;
        this.runs = runs;
        this.metrics = metrics;
        this.metricKeys = metricKeys;
        this.applier = applier;
        this.faults = faults;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Applies the batch in one transaction. Infrastructure failures (database unreachable, timeouts) propagate: the
     * caller retries the same batch until it is stored. Any other failure means one event cannot be stored: after a
     * few retries of the batch for internal errors, the events are applied one transaction each, so that only the
     * offending event is refused ({@code storage_rejected} for refused data, {@code internal_error} otherwise) and
     * the rest lands.
     */
    public Uni<IngestResult> ingest(List<RunEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(IngestResult.empty());
        }
        return retryInternalErrors(applyInTransaction(events))
                .onFailure(e -> Failures.of(e) != Failures.INFRASTRUCTURE)
                .recoverWithUni(e -> {
                    LOG.warnf(
                            "a batch of %d events cannot be stored (%s); applying them one by one",
                            events.size(), e.toString());
                    return oneByOne(events);
                });
    }

    private Uni<IngestResult> oneByOne(List<RunEvent> events) {
        return Multi.createFrom()
                .iterable(events)
                .onItem()
                .transformToUniAndConcatenate(event -> retryInternalErrors(applyInTransaction(List.of(event)))
                        .onFailure(e -> Failures.of(e) != Failures.INFRASTRUCTURE)
                        .recoverWithItem(e -> IngestResult.rejected(rejection(event, e))))
                .collect()
                .with(Collectors.reducing(IngestResult.empty(), IngestResult::plus));
    }

    private Uni<IngestResult> retryInternalErrors(Uni<IngestResult> attempt) {
        return attempt.onFailure(e -> Failures.of(e) == Failures.INTERNAL)
                .invoke(e -> meters.counter("labjournal.ingest.batch.failures", "kind", "internal")
                        .increment())
                .onFailure(e -> Failures.of(e) == Failures.INTERNAL)
                .retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff())
                .atMost(config.internalErrorRetries());
    }

    private static Rejection rejection(RunEvent event, Throwable failure) {
        if (Failures.of(failure) == Failures.DATA) {
            return new Rejection(
                    "storage_rejected",
                    failure instanceof InvalidEventException invalid ? invalid.path() : "$",
                    "PostgreSQL refused this event: " + failure.getMessage(),
                    event.raw(),
                    event.position());
        }
        LOG.errorf(failure, "event %s of run %s could not be stored (internal error)", event.id(), event.runId());
        return Rejection.internalError(failure, event.raw(), event.position());
    }

    private Uni<IngestResult> applyInTransaction(List<RunEvent> events) {
        List<RunEvent> unique = distinctById(events);
        Map<MetricKey, Integer> keyIds = new HashMap<>();
        return pool.withTransaction(conn -> faults.check(unique).chain(() -> apply(conn, unique, keyIds)))
                .invoke(() -> metricKeys.remember(keyIds));
    }

    /** @param keyIds receives the ids of the batch's metric keys, to be cached once the transaction has committed */
    private Uni<IngestResult> apply(SqlConnection conn, List<RunEvent> events, Map<MetricKey, Integer> keyIds) {
        BatchChanges changes = new BatchChanges();
        Set<String> tenantIds = events.stream().map(RunEvent::tenant).collect(Collectors.toSet());
        return tenants.existing(conn, tenantIds).chain(known -> {
            List<Rejection> rejections = new ArrayList<>();
            List<RunEvent> allowed = new ArrayList<>();
            for (RunEvent event : events) {
                if (known.contains(event.tenant())) {
                    allowed.add(event);
                } else {
                    rejections.add(new Rejection(
                            "unknown_tenant",
                            "$.tenant",
                            "tenant '" + event.tenant() + "' does not exist on this platform",
                            event.raw(),
                            event.position()));
                }
            }
            if (allowed.isEmpty()) {
                return Uni.createFrom().item(new IngestResult(Map.of(), rejections, 0, 0));
            }
            return ledger.claimNew(conn, allowed).chain(fresh -> {
                List<RunEvent> toApply = allowed.stream()
                        .filter(e -> fresh.contains(e.eventKey()))
                        .toList();
                Set<RunKey> replayedRuns = allowed.stream()
                        .filter(e -> !fresh.contains(e.eventKey()))
                        .map(RunEvent::runKey)
                        .collect(Collectors.toSet());
                return applyNew(conn, toApply, rejections, keyIds, changes)
                        .call(() -> reannounce(conn, replayedRuns, changes))
                        .map(points -> new IngestResult(
                                changes.toChanges(),
                                rejections,
                                toApply.size(),
                                points,
                                RunExtras.countByType(toApply)));
            });
        });
    }

    /**
     * Applies the batch's new events; records what they changed in {@code changes} and what was refused in
     * {@code rejections}.
     *
     * @return the number of metric points stored
     */
    private Uni<Long> applyNew(
            SqlConnection conn,
            List<RunEvent> events,
            List<Rejection> rejections,
            Map<MetricKey, Integer> keyIds,
            BatchChanges changes) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        MetricBatch points = new MetricBatch();
        List<RunEvent> withStatements = new ArrayList<>();
        for (RunEvent event : events) {
            if (RunEventApplier.needsStatements(event)) {
                withStatements.add(event);
            } else if (event.data().has("metrics")) {
                RunEventApplier.collectPoints(event, points);
            }
        }
        return runs.touch(conn, touches(events))
                .invoke(touched -> touched.forEach((run, t) -> changes.touched(run, t.version(), t.status())))
                .call(() -> runs.mergeExtra(conn, extras(events)))
                .chain(touched -> applier.applyAll(conn, withStatements, changes)
                        .chain(refused -> {
                            rejections.addAll(refused);
                            return metricKeys.resolve(conn, points.metricKeys());
                        })
                        .chain(ids -> {
                            keyIds.putAll(ids);
                            return metrics.append(conn, points, refs(touched), ids);
                        })
                        .map(stored -> {
                            stored.forEach(s -> changes.metricStored(s.run(), s.metric()));
                            return (long) points.size();
                        }));
    }

    /**
     * Events seen before change nothing, but their run-changes message may never have been sent (a crash between the
     * commit and the publish): announce their runs again at their current version, which the index ignores if it has
     * it already.
     */
    private Uni<Void> reannounce(SqlConnection conn, Set<RunKey> replayedRuns, BatchChanges changes) {
        if (replayedRuns.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return runs.versions(conn, replayedRuns)
                .invoke(current -> current.forEach(changes::reannounce))
                .replaceWithVoid();
    }

    /** The unknown members of the events' data, per run, as the JSON objects to merge into the runs' extra. */
    private static Map<RunKey, String> extras(List<RunEvent> events) {
        Map<RunKey, String> extras = new HashMap<>();
        RunExtras.of(events).forEach((run, extra) -> extras.put(run, extra.toString()));
        return extras;
    }

    private static Map<RunKey, Long> refs(Map<RunKey, Touched> touched) {
        Map<RunKey, Long> refs = new HashMap<>();
        touched.forEach((run, t) -> refs.put(run, t.ref()));
        return refs;
    }

    private static List<Touch> touches(List<RunEvent> events) {
        Map<RunKey, Touch> byRun = new LinkedHashMap<>();
        for (RunEvent e : events) {
            byRun.merge(
                    e.runKey(),
                    new Touch(e.runKey(), e.project(), e.time()),
                    (a, b) -> b.lastEventTime().isAfter(a.lastEventTime())
                            ? new Touch(a.run(), a.project(), b.lastEventTime())
                            : a);
        }
        return List.copyOf(byRun.values());
    }

    /** A producer retry can put the same event twice in one batch: keep the first. */
    private static List<RunEvent> distinctById(List<RunEvent> events) {
        Map<String, RunEvent> byKey = new LinkedHashMap<>();
        events.forEach(e -> byKey.putIfAbsent(e.eventKey(), e));
        return List.copyOf(byKey.values());
    }
}
