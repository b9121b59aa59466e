package dev.labjournal.ingest.domain;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-bucket aggregates of a batch's points at every level of {@code metric_rollups} (migration V5): for each
 * series, level and bucket ({@code step >> 4 * level}) how many points and which two real points are the minimum and
 * the maximum. Values are ordered as PostgreSQL orders float8 (NaN above +Infinity, -0 equal to 0), ties go to the
 * earlier point by (step, time), so that merging these with the stored rows in SQL gives what one pass over all
 * points would.
 */
public final class MetricRollups {

    /** The coarsest level: buckets of 16^5 = 1,048,576 steps. */
    public static final int LEVELS = 5;

    /** A level's bucket is 2^(4 * level) steps wide. */
    public static final int BITS_PER_LEVEL = 4;

    /** One real point of a series. */
    public record Point(long step, OffsetDateTime time, double value) {}

    /** The aggregate of one bucket of one series at one level. */
    public record Rollup(long runRef, int keyRef, int level, long bucket, long count, Point min, Point max) {}

    private record Bucket(long runRef, int keyRef, int level, long bucket) {}

    private static final Comparator<Bucket> LOCK_ORDER = Comparator.comparingLong(Bucket::runRef)
            .thenComparingInt(Bucket::keyRef)
            .thenComparingInt(Bucket::level)
            .thenComparingLong(Bucket::bucket);

    private final Map<Bucket, Fold> folds = new HashMap<>();
    /** The bucket each level added to last: points of one event mostly share it. */
    private final Fold[] lastFold = new Fold[LEVELS + 1];

    private static final class Fold {
        private final Bucket bucket;
        private long count;
        private long minStep;
        private OffsetDateTime minTime;
        private double minValue;
        private long maxStep;
        private OffsetDateTime maxTime;
        private double maxValue;

        Fold(Bucket bucket) {
            this.bucket = bucket;
        }

        void add(long step, OffsetDateTime time, double value) {
            if (count++ == 0) {
                minStep = maxStep = step;
                minTime = maxTime = time;
                minValue = maxValue = value;
                return;
            }
            int belowMin = compare(value, minValue);
            if (belowMin < 0 || (belowMin == 0 && earlier(step, time, minStep, minTime))) {
                minStep = step;
                minTime = time;
                minValue = value;
            }
            int aboveMax = compare(value, maxValue);
            if (aboveMax > 0 || (aboveMax == 0 && earlier(step, time, maxStep, maxTime))) {
                maxStep = step;
                maxTime = time;
                maxValue = value;
            }
        }

        Rollup rollup() {
            return new Rollup(
                    bucket.runRef(),
                    bucket.keyRef(),
                    bucket.level(),
                    bucket.bucket(),
                    count,
                    new Point(minStep, minTime, minValue),
                    new Point(maxStep, maxTime, maxValue));
        }
    }

    /** Adds one point of the series (run ref, key ref) to its bucket at every level. */
    public void add(long runRef, int keyRef, long step, OffsetDateTime time, double value) {
        for (int level = 1; level <= LEVELS; level++) {
            long bucket = step >> (BITS_PER_LEVEL * level);
            Fold fold = lastFold[level];
            if (fold == null
                    || fold.bucket.bucket() != bucket
                    || fold.bucket.runRef() != runRef
                    || fold.bucket.keyRef() != keyRef) {
                fold = folds.computeIfAbsent(new Bucket(runRef, keyRef, level, bucket), Fold::new);
                lastFold[level] = fold;
            }
            fold.add(step, time, value);
        }
    }

    /** The aggregates in key order (run, key, level, bucket), the order concurrent upserts lock their rows in. */
    public List<Rollup> rollups() {
        List<Fold> sorted = new ArrayList<>(folds.values());
        sorted.sort(Comparator.comparing(f -> f.bucket, LOCK_ORDER));
        return sorted.stream().map(Fold::rollup).toList();
    }

    public int size() {
        return folds.size();
    }

    /** float8 order: NaN equals NaN and is above every number, -0 equals 0. */
    static int compare(double a, double b) {
        return a == b ? 0 : Double.compare(a, b);
    }

    private static boolean earlier(long step, OffsetDateTime time, long otherStep, OffsetDateTime otherTime) {
        return step < otherStep || (step == otherStep && time.isBefore(otherTime));
    }
}
