package dev.labjournal.query.metrics.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.labjournal.query.metrics.service.DownsamplePlan.Range;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DownsamplePlanTest {

    @Test
    void aMillionStepsInAThousandPointsReadLevelTwo() {
        DownsamplePlan plan = DownsamplePlan.of(0, 999_999, 1000);
        assertThat(plan.level()).isEqualTo(2);
        assertThat(plan.width() % 256).isZero();
        assertThat(plan.buckets()).isLessThanOrEqualTo(500);
        assertThat(plan.rollupBuckets()).isEqualTo(new Range(0, 3905));
        assertThat(plan.leftEdge().isEmpty()).isTrue();
        assertThat(plan.rightEdge()).isEqualTo(new Range(999_936, 999_999));
    }

    @Test
    void shortRangesAreBucketedFromPoints() {
        DownsamplePlan plan = DownsamplePlan.of(100, 5_000, 1000);
        assertThat(plan.level()).isZero();
        assertThat(plan.leftEdge()).isEqualTo(new Range(100, 5_000));
        assertThat(plan.rollupBuckets().isEmpty()).isTrue();
        assertThat(plan.rightEdge().isEmpty()).isTrue();
    }

    @Test
    void theWholeStepRangeFitsWithoutOverflow() {
        DownsamplePlan plan = DownsamplePlan.of(0, Long.MAX_VALUE, 10_000);
        assertThat(plan.level()).isEqualTo(5);
        assertThat(plan.buckets()).isBetween(1, 5_000);
        assertThat(plan.bucketOf(Long.MAX_VALUE)).isLessThan(plan.buckets());
        assertThat(plan.rollupBuckets().to()).isEqualTo(Long.MAX_VALUE >> 20);
        assertThat(plan.rightEdge().isEmpty()).isTrue();
    }

    @Test
    void rollupsAndEdgesCoverTheRangeExactlyAndEveryRollupLiesInOneBucket() {
        Random random = new Random(3);
        for (int i = 0; i < 10_000; i++) {
            long first = random.nextInt(1 << 20);
            long last = first + (long) Math.pow(10, random.nextDouble() * 9);
            int maxPoints = 2 + random.nextInt(9_999);
            DownsamplePlan plan = DownsamplePlan.of(first, last, maxPoints);
            assertThat(plan.buckets()).isBetween(1, maxPoints / 2);
            assertThat(plan.bucketOf(first)).isZero();
            assertThat(plan.bucketOf(last)).isLessThan(plan.buckets());
            long unit = 1L << (4 * plan.level());
            assertThat(plan.width() % unit).isZero();
            assertThat(plan.base() % unit).isZero();
            Range rollups = plan.rollupBuckets();
            if (rollups.isEmpty()) {
                assertThat(plan.leftEdge()).isEqualTo(new Range(first, last));
                assertThat(plan.rightEdge().isEmpty()).isTrue();
                if (plan.level() > 0) {
                    assertThat(last - first).isLessThan(2 * unit);
                }
            } else {
                assertThat(plan.leftEdge().from()).isEqualTo(first);
                assertThat(plan.leftEdge().to() + 1).isEqualTo(rollups.from() * unit);
                long covered = rollups.to() * unit + unit - 1;
                assertThat(covered).isLessThanOrEqualTo(last);
                if (covered < last) {
                    assertThat(plan.rightEdge()).isEqualTo(new Range(covered + 1, last));
                } else {
                    assertThat(plan.rightEdge().isEmpty()).isTrue();
                }
                assertThat(plan.leftEdge().to() - plan.leftEdge().from()).isLessThan(unit);
                assertThat(last - covered).isLessThan(unit);
                if (plan.level() < DownsamplePlan.LEVELS) {
                    // about 16 rollup buckets per output bucket at most (the coarsest level has no such bound)
                    assertThat(rollups.to() - rollups.from() + 1).isLessThanOrEqualTo(16L * plan.buckets() + 16);
                }
                for (long bucket : new long[] {rollups.from(), rollups.to()}) {
                    assertThat(plan.bucketOf(bucket * unit)).isEqualTo(plan.bucketOf(bucket * unit + unit - 1));
                }
            }
        }
    }

    @Test
    void refusesWhatNoRequestCanAsk() {
        assertThatThrownBy(() -> DownsamplePlan.of(5, 4, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DownsamplePlan.of(0, 4, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
