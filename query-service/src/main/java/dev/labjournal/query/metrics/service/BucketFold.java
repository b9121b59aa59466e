package dev.labjournal.query.metrics.service;

import java.util.ArrayList;
import java.util.List;

/**
 * Merges rollup rows and raw points, in any order, into the buckets of a {@link DownsamplePlan}: per bucket the count,
 * the minimum and the maximum point. Memory is the buckets only, however many rows are folded.
 */
public final class BucketFold {

    private final DownsamplePlan plan;
    private final Sample[] mins;
    private final Sample[] maxes;
    private long total;

    public BucketFold(DownsamplePlan plan) {
        this.plan = plan;
        this.mins = new Sample[plan.buckets()];
        this.maxes = new Sample[plan.buckets()];
    }

    /** Adds a rollup row (or a raw point: count 1, min = max = the point); min and max lie in one output bucket. */
    public void add(long count, Sample min, Sample max) {
        int bucket = plan.bucketOf(min.step());
        total += count;
        if (mins[bucket] == null || min.lowerThan(mins[bucket])) {
            mins[bucket] = min;
        }
        if (maxes[bucket] == null || max.higherThan(maxes[bucket])) {
            maxes[bucket] = max;
        }
    }

    /** How many points the folded rows stand for. */
    public long total() {
        return total;
    }

    /** Each non-empty bucket's minimum and maximum point (one when they are the same point), in step order. */
    public List<Sample> points() {
        List<Sample> points = new ArrayList<>(2 * mins.length);
        for (int i = 0; i < mins.length; i++) {
            Sample min = mins[i];
            Sample max = maxes[i];
            if (min == null) {
                continue;
            }
            if (min.equals(max)) {
                points.add(min);
            } else if (max.before(min)) {
                points.add(max);
                points.add(min);
            } else {
                points.add(min);
                points.add(max);
            }
        }
        return points;
    }
}
