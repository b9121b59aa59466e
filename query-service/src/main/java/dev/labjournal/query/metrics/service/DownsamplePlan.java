package dev.labjournal.query.metrics.service;

/**
 * How a step range [first, last] of a series with more points than wanted is read and bucketed.
 *
 * <p>The output has at most {@code maxPoints / 2} buckets of {@code width} steps from {@code base}, each shown by its
 * minimum and maximum point. They are filled from the coarsest rollup level whose buckets (2^(4 * level) steps) are no
 * wider than the output buckets need to be, so that every rollup row falls in one output bucket (output buckets are
 * whole multiples of it, aligned to it) and at most about 16 rows are read per output bucket. Rollup buckets that
 * stick out of the range at either end are not used: the points of those edges are read one by one instead.
 *
 * @param level the rollup level read, 0 for raw points only
 * @param rollupBuckets the buckets of that level read, all within [first, last]
 * @param leftEdge raw points read before the first rollup bucket (or the whole range when none is read)
 * @param rightEdge raw points read after the last rollup bucket
 */
public record DownsamplePlan(
        int level, long base, long width, int buckets, Range rollupBuckets, Range leftEdge, Range rightEdge) {

    /** The finest level is 16 steps per bucket, the coarsest 16^5 (as written by ingest, migration V5). */
    static final int LEVELS = 5;

    static final int BITS_PER_LEVEL = 4;

    /** An inclusive range of steps or bucket numbers; empty when from > to. */
    public record Range(long from, long to) {

        static final Range EMPTY = new Range(1, 0);

        public boolean isEmpty() {
            return from > to;
        }
    }

    /**
     * @param first the first step of the series in the wanted range
     * @param last the last step of the series in the wanted range
     * @param maxPoints at most this many points in the answer (2 or more)
     */
    public static DownsamplePlan of(long first, long last, int maxPoints) {
        if (first < 0 || last < first || maxPoints < 2) {
            throw new IllegalArgumentException(
                    "no plan for steps " + first + ".." + last + ", " + maxPoints + " points");
        }
        int target = maxPoints / 2;
        long wanted = (last - first) / target + 1;
        int level = Math.min(LEVELS, (63 - Long.numberOfLeadingZeros(wanted)) / BITS_PER_LEVEL);
        long unit = 1L << (BITS_PER_LEVEL * level);
        long base = Math.floorDiv(first, unit) * unit;
        long width = ceilDiv((last - base) / target + 1, unit) * unit;
        int buckets = (int) ((last - base) / width + 1);
        if (level == 0) {
            return new DownsamplePlan(0, base, width, buckets, Range.EMPTY, new Range(first, last), Range.EMPTY);
        }
        long firstBucket = ceilDiv(first, unit);
        long lastBucket = Math.floorDiv(last - (unit - 1), unit);
        if (firstBucket > lastBucket) {
            return new DownsamplePlan(level, base, width, buckets, Range.EMPTY, new Range(first, last), Range.EMPTY);
        }
        long lastCovered = lastBucket * unit + (unit - 1);
        return new DownsamplePlan(
                level,
                base,
                width,
                buckets,
                new Range(firstBucket, lastBucket),
                new Range(first, firstBucket * unit - 1),
                lastCovered == last ? Range.EMPTY : new Range(lastCovered + 1, last));
    }

    /** The output bucket of a step of the range. */
    int bucketOf(long step) {
        return (int) ((step - base) / width);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
