package dev.labjournal.ingest.normalise.service;

import dev.labjournal.ingest.domain.IngestResult;
import dev.labjournal.ingest.domain.InvalidEventException;
import dev.labjournal.ingest.domain.MetricBatch;
import dev.labjournal.ingest.domain.MetricKey;
import dev.labjournal.ingest.domain.Rejection;
import dev.labjournal.ingest.domain.RunEvent;
import dev.labjournal.ingest.domain.RunEvent.RunKey;
import dev.labjournal.ingest.normalise.repository.EventLedger;
import dev.labjournal.ingest.normalise.repository.MetricKeyRepository;
import dev.labjournal.ingest.normalise.repository.MetricRepository;
import dev.labjournal.ingest.normalise.repository.RunRepository;
import dev.labjournal.ingest.normalise.repository.RunRepository.Touch;
import dev.labjournal.ingest.normalise.repository.RunRepository.Touched;
import dev.labjournal.ingest.normalise.repository.TenantLookup;
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
import java.util.function.Function;
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

    public IngestService(
            Pool pool,
            TenantLookup tenants,
            EventLedger ledger,
            RunRepository runs,
            MetricRepository metrics,
            MetricKeyRepository metricKeys,
            RunEventApplier applier) {
        this.pool = pool;
        this.tenants = tenants;
        this.ledger = ledger;
        this.runs = runs;
        this.metrics = metrics;
        this.metricKeys = metricKeys;
        this.applier = applier;
    }

    /**
     * Applies the batch in one transaction. If PostgreSQL refuses it for a reason that lies in the data (not a
     * connection problem), the events are applied one transaction each so that only the offending event is refused.
     * Transient failures propagate: the caller retries the same batch.
     */
    public Uni<IngestResult> ingest(List<RunEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(IngestResult.empty());
        }
        return applyInTransaction(events).onFailure(StorageErrors::isPermanent).recoverWithUni(e -> {
            LOG.warnf(
                    "batch of %d events refused by the database (%s); applying them one by one",
                    events.size(), e.getMessage());
            return oneByOne(events);
        });
    }

    private Uni<IngestResult> oneByOne(List<RunEvent> events) {
        return Multi.createFrom()
                .iterable(events)
                .onItem()
                .transformToUniAndConcatenate(event -> applyInTransaction(List.of(event))
                        .onFailure(StorageErrors::isPermanent)
                        .recoverWithItem(e -> IngestResult.rejected(new Rejection(
                                "storage_rejected",
                                e instanceof InvalidEventException invalid ? invalid.path() : "$",
                                "PostgreSQL refused this event: " + e.getMessage(),
                                event.raw(),
                                event.position()))))
                .collect()
                .with(Collectors.reducing(IngestResult.empty(), IngestResult::plus));
    }

    private Uni<IngestResult> applyInTransaction(List<RunEvent> events) {
        List<RunEvent> unique = distinctById(events);
        Map<MetricKey, Integer> keyIds = new HashMap<>();
        return pool.withTransaction(conn -> apply(conn, unique, keyIds)).invoke(() -> metricKeys.remember(keyIds));
    }

    /** @param keyIds receives the ids of the batch's metric keys, to be cached once the transaction has committed */
    private Uni<IngestResult> apply(SqlConnection conn, List<RunEvent> events, Map<MetricKey, Integer> keyIds) {
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
                return applyNew(conn, toApply, rejections, keyIds)
                        .chain(result -> withReplayedRuns(conn, result, replayedRuns));
            });
        });
    }

    private Uni<IngestResult> applyNew(
            SqlConnection conn, List<RunEvent> events, List<Rejection> rejections, Map<MetricKey, Integer> keyIds) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new IngestResult(Map.of(), rejections, 0, 0));
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
                .chain(touched -> Multi.createFrom()
                        .iterable(withStatements)
                        .onItem()
                        .transformToUniAndConcatenate(event -> applier.apply(conn, event))
                        .collect()
                        .asList()
                        .chain(partial -> {
                            partial.forEach(r -> r.ifPresent(rejections::add));
                            return metricKeys.resolve(conn, points.metricKeys());
                        })
                        .chain(ids -> {
                            keyIds.putAll(ids);
                            return metrics.append(conn, points, field(touched, Touched::ref), ids);
                        })
                        .map(done -> new IngestResult(
                                field(touched, Touched::version), rejections, events.size(), points.size())));
    }

    /**
     * Events seen before change nothing, but their run-changes message may never have been sent (a crash between the
     * commit and the publish): announce their runs again at their current version, which the index ignores if it has
     * it already.
     */
    private Uni<IngestResult> withReplayedRuns(SqlConnection conn, IngestResult result, Set<RunKey> replayedRuns) {
        if (replayedRuns.isEmpty()) {
            return Uni.createFrom().item(result);
        }
        return runs.versions(conn, replayedRuns).map(current -> {
            Map<RunKey, Long> versions = new HashMap<>(current);
            versions.putAll(result.runVersions());
            return new IngestResult(versions, result.rejections(), result.appliedEvents(), result.appliedPoints());
        });
    }

    private static Map<RunKey, Long> field(Map<RunKey, Touched> touched, Function<Touched, Long> field) {
        Map<RunKey, Long> values = new HashMap<>();
        touched.forEach((run, t) -> values.put(run, field.apply(t)));
        return values;
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
