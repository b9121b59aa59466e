package dev.labjournal.ingest.service;

import dev.labjournal.ingest.repository.EventLedger;
import dev.labjournal.ingest.repository.MetricRepository;
import dev.labjournal.ingest.repository.RunRepository;
import dev.labjournal.ingest.repository.RunRepository.Touch;
import dev.labjournal.ingest.repository.TenantLookup;
import dev.labjournal.ingest.service.RunEvent.RunKey;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
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
    private final RunEventApplier applier;

    public IngestService(
            Pool pool,
            TenantLookup tenants,
            EventLedger ledger,
            RunRepository runs,
            MetricRepository metrics,
            RunEventApplier applier) {
        this.pool = pool;
        this.tenants = tenants;
        this.ledger = ledger;
        this.runs = runs;
        this.metrics = metrics;
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
        return pool.withTransaction(conn -> apply(conn, unique));
    }

    private Uni<IngestResult> apply(SqlConnection conn, List<RunEvent> events) {
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
                return applyNew(conn, toApply, rejections);
            });
        });
    }

    private Uni<IngestResult> applyNew(SqlConnection conn, List<RunEvent> events, List<Rejection> rejections) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(new IngestResult(Map.of(), rejections, 0, 0));
        }
        MetricRepository.Points points = new MetricRepository.Points();
        List<RunEvent> withStatements = new ArrayList<>();
        for (RunEvent event : events) {
            if (RunEventApplier.needsStatements(event)) {
                withStatements.add(event);
            } else if (event.data().has("metrics")) {
                RunEventApplier.collectPoints(event, points);
            }
        }
        return runs.touch(conn, touches(events))
                .chain(versions -> Multi.createFrom()
                        .iterable(withStatements)
                        .onItem()
                        .transformToUniAndConcatenate(event -> applier.apply(conn, event))
                        .collect()
                        .asList()
                        .chain(partial -> {
                            partial.forEach(r -> r.ifPresent(rejections::add));
                            return metrics.append(conn, points);
                        })
                        .map(done -> new IngestResult(versions, rejections, events.size(), points.size())));
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
