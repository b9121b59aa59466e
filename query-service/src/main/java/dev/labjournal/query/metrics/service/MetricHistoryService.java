package dev.labjournal.query.metrics.service;

import dev.labjournal.common.rest.ApiException;
import dev.labjournal.query.metrics.MetricHistories;
import dev.labjournal.query.metrics.MetricHistory;
import dev.labjournal.query.metrics.MetricPoint;
import dev.labjournal.query.metrics.repository.SeriesReader;
import dev.labjournal.query.metrics.repository.SeriesReader.Series;
import dev.labjournal.query.tenancy.TenantScope;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads metric histories in one read transaction of the caller's tenant. A range with at most max_points points comes
 * back whole; a longer one as the minimum and maximum point of at most max_points / 2 buckets of steps, folded from
 * the rollups ingest keeps ({@link DownsamplePlan}). Without max_points the range is paged by a keyset.
 */
@ApplicationScoped
public class MetricHistoryService {

    /** How many points of a range are counted with, when a page needs the range's total. */
    private static final int COUNTING_POINTS = 1000;

    private final Pool pool;
    private final SeriesReader reader;

    public MetricHistoryService(Pool pool, SeriesReader reader) {
        this.pool = pool;
        this.reader = reader;
    }

    /** The steps asked for, inclusive; the whole series is [0, Long.MAX_VALUE]. */
    public record StepRange(long from, long to) {

        public static final StepRange ALL = new StepRange(0, Long.MAX_VALUE);

        boolean isAll() {
            return equals(ALL);
        }
    }

    /** What a history request asks for: a range downsampled to {@code maxPoints}, or a page of it when that is null. */
    public record Request(StepRange range, Integer maxPoints, int limit, HistoryCursor cursor) {}

    private record Downsampled(long total, boolean downsampled, List<Sample> points) {}

    /** The run's history of {@code key}; 404 when the tenant has no such run or the run no such metric. */
    public Uni<MetricHistory> history(TenantScope scope, String runId, String key, Request request) {
        return scope.read(
                pool,
                conn -> reader.series(conn, List.of(runId), key).chain(found -> {
                    Series series = found.get(runId);
                    if (series == null) {
                        throw ApiException.notFound("no run '" + runId + "' in this tenant");
                    }
                    if (!series.hasKey()) {
                        throw ApiException.notFound("run '" + runId + "' has no metric '" + key + "'");
                    }
                    if (request.maxPoints() == null) {
                        return page(conn, series, key, request);
                    }
                    return downsample(conn, series, request.range(), request.maxPoints())
                            .map(d -> new MetricHistory(
                                    runId, key, d.total(), d.downsampled(), points(d.points()), null));
                }));
    }

    /** The histories of {@code key} of many runs, one after the other on one connection. */
    public Uni<MetricHistories> histories(
            TenantScope scope, List<String> runIds, String key, StepRange range, int maxPoints) {
        return scope.read(
                pool,
                conn -> reader.series(conn, runIds, key).chain(found -> {
                    List<String> notFound = new ArrayList<>();
                    List<Series> present = new ArrayList<>();
                    for (String runId : runIds) {
                        Series series = found.get(runId);
                        if (series == null) {
                            notFound.add(runId);
                        } else {
                            present.add(series);
                        }
                    }
                    return Multi.createFrom()
                            .iterable(present)
                            .onItem()
                            .transformToUniAndConcatenate(series -> series.hasKey()
                                    ? downsample(conn, series, range, maxPoints)
                                            .map(d -> new MetricHistories.Series(
                                                    series.runId(), d.total(), d.downsampled(), points(d.points())))
                                    : Uni.createFrom()
                                            .item(new MetricHistories.Series(series.runId(), 0, false, List.of())))
                            .collect()
                            .asList()
                            .map(series -> new MetricHistories(key, series, notFound));
                }));
    }

    private Uni<Downsampled> downsample(SqlConnection conn, Series series, StepRange range, int maxPoints) {
        return reader.firstPoints(conn, series, range.from(), range.to(), maxPoints + 1)
                .chain(first -> {
                    if (first.size() <= maxPoints) {
                        return Uni.createFrom().item(new Downsampled(first.size(), false, first));
                    }
                    long firstStep = first.get(0).step();
                    return reader.lastStep(conn, series, firstStep, range.to())
                            .chain(lastStep ->
                                    reader.fold(conn, series, DownsamplePlan.of(firstStep, lastStep, maxPoints)))
                            .map(fold -> new Downsampled(fold.total(), true, fold.points()));
                });
    }

    /** A page of every point of the range, in (step, time, value) order. */
    private Uni<MetricHistory> page(SqlConnection conn, Series series, String key, Request request) {
        StepRange range = request.range();
        int limit = request.limit();
        HistoryCursor cursor = request.cursor();
        Uni<List<Sample>> page;
        if (cursor == null) {
            page = reader.firstPoints(conn, series, range.from(), range.to(), limit + 1);
        } else {
            Sample last = cursor.last();
            boolean inRange = last.step() >= range.from() && last.step() <= range.to();
            Uni<Long> copies = inRange
                    ? reader.countOf(conn, series, last)
                    : Uni.createFrom().item(0L);
            page = copies.chain(count -> {
                int owed = (int) Math.min(Math.max(0, count - cursor.seen()), limit + 1L);
                List<Sample> points = new ArrayList<>(Collections.nCopies(owed, last));
                if (owed > limit) {
                    return Uni.createFrom().item(points);
                }
                return reader.pageAfter(conn, series, range.from(), range.to(), last, limit + 1 - owed)
                        .map(after -> {
                            points.addAll(after);
                            return points;
                        });
            });
        }
        return page.chain(points -> {
            boolean more = points.size() > limit;
            List<Sample> shown = more ? points.subList(0, limit) : points;
            String token = more ? next(shown, cursor).encode() : null;
            return total(conn, series, range)
                    .map(total -> new MetricHistory(series.runId(), key, total, false, points(shown), token));
        });
    }

    /** The cursor after a page: its last point, and how many points equal to it have been returned so far. */
    private static HistoryCursor next(List<Sample> page, HistoryCursor previous) {
        Sample last = page.get(page.size() - 1);
        int trailing = 0;
        for (int i = page.size() - 1; i >= 0 && page.get(i).sameAs(last); i--) {
            trailing++;
        }
        boolean stillTheSame =
                trailing == page.size() && previous != null && previous.last().sameAs(last);
        return new HistoryCursor(last, stillTheSame ? previous.seen() + trailing : trailing);
    }

    /** How many points the range has: the series' count for the whole of it, else folded from the rollups. */
    private Uni<Long> total(SqlConnection conn, Series series, StepRange range) {
        if (range.isAll()) {
            return Uni.createFrom().item(series.count());
        }
        return reader.firstPoints(conn, series, range.from(), range.to(), 1).chain(first -> {
            if (first.isEmpty()) {
                return Uni.createFrom().item(0L);
            }
            long firstStep = first.get(0).step();
            return reader.lastStep(conn, series, firstStep, range.to())
                    .chain(lastStep ->
                            reader.fold(conn, series, DownsamplePlan.of(firstStep, lastStep, COUNTING_POINTS)))
                    .map(BucketFold::total);
        });
    }

    private static List<MetricPoint> points(List<Sample> samples) {
        return samples.stream().map(MetricPoint::of).toList();
    }
}
