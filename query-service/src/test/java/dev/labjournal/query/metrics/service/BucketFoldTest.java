package dev.labjournal.query.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BucketFoldTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-12-01T10:00:00Z");

    private static Sample point(long step, double value) {
        return new Sample(step, T0, value);
    }

    /** Rollup rows of level {@code level} over the points, as ingest builds them: min and max by value, then step. */
    private static void foldAsRollups(BucketFold fold, List<Sample> points, DownsamplePlan plan) {
        for (Sample p : points) {
            if (inRange(p.step(), plan.leftEdge()) || inRange(p.step(), plan.rightEdge())) {
                fold.add(1, p, p);
            }
        }
        if (plan.rollupBuckets().isEmpty()) {
            return;
        }
        int shift = 4 * plan.level();
        for (long bucket = plan.rollupBuckets().from();
                bucket <= plan.rollupBuckets().to();
                bucket++) {
            long b = bucket;
            List<Sample> inBucket =
                    points.stream().filter(p -> p.step() >> shift == b).toList();
            if (inBucket.isEmpty()) {
                continue;
            }
            Sample min = inBucket.get(0);
            Sample max = inBucket.get(0);
            for (Sample p : inBucket) {
                min = p.lowerThan(min) ? p : min;
                max = p.higherThan(max) ? p : max;
            }
            fold.add(inBucket.size(), min, max);
        }
    }

    private static boolean inRange(long step, DownsamplePlan.Range range) {
        return step >= range.from() && step <= range.to();
    }

    @Test
    void theSpikeAndTheGlobalExtremesSurviveAndEveryPointIsReal() {
        List<Sample> points = new ArrayList<>();
        for (long step = 0; step < 100_000; step++) {
            double value = step == 31_337 ? 1e6 : step == 77_777 ? -1e6 : Math.sin(step / 500.0);
            points.add(point(step, value));
        }
        points.add(point(50_000, Double.NaN));
        DownsamplePlan plan = DownsamplePlan.of(0, 99_999, 1000);
        BucketFold fold = new BucketFold(plan);
        foldAsRollups(fold, points, plan);

        List<Sample> out = fold.points();
        assertThat(fold.total()).isEqualTo(100_001);
        assertThat(out).hasSizeLessThanOrEqualTo(1000);
        assertThat(out).isSortedAccordingTo(Comparator.comparingLong(Sample::step));
        assertThat(points).containsAll(out);
        assertThat(out).contains(point(31_337, 1e6), point(77_777, -1e6), point(50_000, Double.NaN));
    }

    @Test
    void aZoomedRangeIsBucketedFromRollupsAndItsEdgesFromPoints() {
        Random random = new Random(7);
        List<Sample> points = new ArrayList<>();
        for (long step = 0; step < 200_000; step += 1 + random.nextInt(3)) {
            points.add(point(step, random.nextGaussian()));
        }
        long from = 12_345;
        long to = 98_765;
        List<Sample> inRange =
                points.stream().filter(p -> p.step() >= from && p.step() <= to).toList();
        DownsamplePlan plan = DownsamplePlan.of(
                inRange.get(0).step(), inRange.get(inRange.size() - 1).step(), 500);
        assertThat(plan.level()).isEqualTo(2);
        BucketFold fold = new BucketFold(plan);
        foldAsRollups(fold, inRange, plan);

        assertThat(fold.total()).isEqualTo(inRange.size());
        List<Sample> out = fold.points();
        assertThat(out).hasSizeLessThanOrEqualTo(500);
        assertThat(inRange).containsAll(out);
        Sample lowest =
                inRange.stream().reduce((a, b) -> b.lowerThan(a) ? b : a).orElseThrow();
        Sample highest =
                inRange.stream().reduce((a, b) -> b.higherThan(a) ? b : a).orElseThrow();
        assertThat(out).contains(lowest, highest);
    }

    @Test
    void everyBucketShowsItsMinimumThenMaximumInStepOrderAndOnePointOnce() {
        DownsamplePlan plan = DownsamplePlan.of(0, 63, 4);
        assertThat(plan.buckets()).isEqualTo(2);
        assertThat(plan.width()).isEqualTo(32);
        BucketFold fold = new BucketFold(plan);
        fold.add(1, point(3, 9.0), point(3, 9.0));
        fold.add(1, point(1, 2.0), point(1, 2.0));
        fold.add(1, point(2, 5.0), point(2, 5.0));
        fold.add(1, point(40, 1.0), point(40, 1.0));

        assertThat(fold.points()).containsExactly(point(1, 2.0), point(3, 9.0), point(40, 1.0));
    }

    @Test
    void nanIsTheMaximumOfItsBucketAndInfinityTheMinimum() {
        DownsamplePlan plan = DownsamplePlan.of(0, 9, 2);
        BucketFold fold = new BucketFold(plan);
        fold.add(1, point(1, Double.POSITIVE_INFINITY), point(1, Double.POSITIVE_INFINITY));
        fold.add(1, point(2, Double.NaN), point(2, Double.NaN));
        fold.add(1, point(3, Double.NEGATIVE_INFINITY), point(3, Double.NEGATIVE_INFINITY));

        assertThat(fold.points()).containsExactly(point(2, Double.NaN), point(3, Double.NEGATIVE_INFINITY));
    }

    @Test
    void tiesGoToTheEarlierPoint() {
        DownsamplePlan plan = DownsamplePlan.of(0, 9, 2);
        BucketFold fold = new BucketFold(plan);
        fold.add(1, point(5, 1.0), point(5, 1.0));
        fold.add(1, new Sample(4, T0.plusSeconds(1), 1.0), new Sample(4, T0.plusSeconds(1), 1.0));
        fold.add(1, new Sample(4, T0, 1.0), new Sample(4, T0, 1.0));

        assertThat(fold.points()).containsExactly(new Sample(4, T0, 1.0));
    }
}
