package dev.labjournal.query.alerts.stream;

import dev.labjournal.common.auth.CurrentCaller;
import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.alerts.delivery.AlertNotifications;
import dev.labjournal.query.alerts.rest.AlertKinds;
import dev.labjournal.query.alerts.stream.AlertStreamReader.StreamedAlert;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The caller's tenant's alerts as Server-Sent Events: {@code id:} the alert's per-tenant sequence number, {@code
 * event: alert}, {@code data:} the alert document. A client that reconnects with {@code Last-Event-ID} (or {@code
 * ?last_event_id=}, for browsers that cannot set headers) gets every alert after that number, from PostgreSQL, so
 * nothing is lost or repeated, across a restart of any instance too; without one, the stream starts with the next
 * alert.
 *
 * <p>A stream reads its alerts from the database a page at a time, and only as fast as the client takes them: the
 * {@code labjournal_alerts} notifications (which every instance receives) and the heartbeat only wake it. A stream
 * never carries another tenant's alert: its reads are confined to the caller's tenant.
 */
@Path("/api/v1/alerts/stream")
public class AlertStreamResource {

    private enum Wake {
        ALERTS,
        HEARTBEAT
    }

    private final CurrentCaller currentCaller;
    private final AlertStreamReader reader;
    private final AlertNotifications notifications;
    private final StreamConfig config;

    public AlertStreamResource(
            CurrentCaller currentCaller,
            AlertStreamReader reader,
            AlertNotifications notifications,
            StreamConfig config) {
        this.currentCaller = currentCaller;
        this.reader = reader;
        this.notifications = notifications;
        this.config = config;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(
            @HeaderParam("Last-Event-ID") String lastEventIdHeader,
            @QueryParam("last_event_id") String lastEventIdParam,
            @QueryParam("rule_id") String ruleId,
            @QueryParam("kind") String kind,
            @Context Sse sse) {
        TenantScope scope = TenantScope.ofReader(currentCaller.get());
        Long resumeAfter = resumeAfter(lastEventIdHeader, lastEventIdParam);
        String kindFilter = AlertKinds.filter(kind);
        String ruleFilter = ruleId == null || ruleId.isEmpty() ? null : ruleId;
        Uni<Long> start = resumeAfter != null ? Uni.createFrom().item(resumeAfter) : reader.last(scope);
        return start.onItem().transformToMulti(from -> {
            AtomicLong cursor = new AtomicLong(from);
            Multi<Wake> wakes = Multi.createBy()
                    .merging()
                    .streams(
                            notifications.stream()
                                    .filter(n -> n.concerns(scope.tenant()))
                                    .map(n -> Wake.ALERTS),
                            Multi.createFrom().ticks().every(config.heartbeat()).map(tick -> Wake.HEARTBEAT),
                            Multi.createFrom().item(Wake.ALERTS))
                    .onOverflow()
                    .dropPreviousItems();
            return wakes.onItem().transformToMultiAndConcatenate(wake -> {
                Multi<StreamedAlert> selected = newAlerts(scope, cursor)
                        .select()
                        .where(alert -> (ruleFilter == null || ruleFilter.equals(alert.ruleId()))
                                && (kindFilter == null || kindFilter.equals(alert.kind())));
                Multi<OutboundSseEvent> events = selected.map(alert -> event(sse, alert));
                return wake == Wake.HEARTBEAT
                        ? Multi.createBy()
                                .concatenating()
                                .streams(events, Multi.createFrom().item(heartbeat(sse)))
                        : events;
            });
        });
    }

    /** Every alert after the cursor, a page per demand, moving the cursor over each page read. */
    private Multi<StreamedAlert> newAlerts(TenantScope scope, AtomicLong cursor) {
        int pageSize = config.pageSize();
        return Multi.createBy()
                .repeating()
                .uni(() -> reader.after(scope, cursor.get(), pageSize))
                .whilst(page -> page.size() == pageSize)
                .onItem()
                .transformToIterable(page -> {
                    if (!page.isEmpty()) {
                        cursor.set(page.get(page.size() - 1).seq());
                    }
                    return page;
                });
    }

    private static OutboundSseEvent event(Sse sse, StreamedAlert alert) {
        return sse.newEventBuilder()
                .id(Long.toString(alert.seq()))
                .name("alert")
                .data(alert.document())
                .build();
    }

    private static OutboundSseEvent heartbeat(Sse sse) {
        return sse.newEventBuilder().comment(" keep-alive").build();
    }

    /** The sequence number to resume after: the header's, else the query parameter's, else null (start now). */
    private static Long resumeAfter(String header, String param) {
        if (header != null && !header.isBlank()) {
            return lastEventId(header, "Last-Event-ID");
        }
        if (param != null && !param.isBlank()) {
            return lastEventId(param, "last_event_id");
        }
        return null;
    }

    private static long lastEventId(String value, String where) {
        try {
            long seq = Long.parseLong(value.trim());
            if (seq >= 0) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // answered below, as a negative number is
        }
        throw ApiException.badRequest(
                "invalid_last_event_id",
                where + " must be the id of an event of this stream (a non-negative integer), not '" + value + "'",
                Map.of("param", where));
    }
}
