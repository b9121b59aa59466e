package dev.labjournal.ingest.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.labjournal.ingest.domain.MetricRollups.Point;
import dev.labjournal.ingest.domain.MetricRollups.Rollup;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetricRollupsTest {

    private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-12-01T10:00:00Z");

    @Test
    void everyPointLandsInOneBucketOfEveryLevel() {
        MetricRollups rollups = new MetricRollups();
        for (long step = 0; step < 300; step++) {
            rollups.add(7, 1, step, T0, step);
        }
        List<Rollup> all = rollups.rollups();
        // 300 steps: 19 buckets of 16, 2 of 256, one of each coarser width.
        assertThat(all.stream().filter(r -> r.level() == 1)).hasSize(19);
        assertThat(all.stream().filter(r -> r.level() == 2)).hasSize(2);
        assertThat(all.stream().filter(r -> r.level() >= 3)).hasSize(3);
        for (int level = 1; level <= MetricRollups.LEVELS; level++) {
            int l = level;
            assertThat(all.stream()
                            .filter(r -> r.level() == l)
                            .mapToLong(Rollup::count)
                            .sum())
                    .isEqualTo(300);
        }
        Rollup second = all.get(1);
        assertThat(second).isEqualTo(new Rollup(7, 1, 1, 1, 16, new Point(16, T0, 16), new Point(31, T0, 31)));
        Rollup lastOfLevel2 = all.stream().filter(r -> r.level() == 2).toList().get(1);
        assertThat(lastOfLevel2.min()).isEqualTo(new Point(256, T0, 256));
        assertThat(lastOfLevel2.max()).isEqualTo(new Point(299, T0, 299));
    }

    @Test
    void minAndMaxAreRealPointsWhateverTheOrderTheyCameIn() {
        Random random = new Random(42);
        MetricRollups rollups = new MetricRollups();
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < 5000; i++) {
            long step = random.nextInt(4096);
            double value = random.nextGaussian();
            min = Math.min(min, value);
            max = Math.max(max, value);
            rollups.add(1, 1, step, T0.plusSeconds(i), value);
        }
        Rollup level3 = rollups.rollups().stream()
                .filter(r -> r.level() == 3)
                .findFirst()
                .orElseThrow();
        assertThat(level3.count()).isEqualTo(5000);
        assertThat(level3.min().value()).isEqualTo(min);
        assertThat(level3.max().value()).isEqualTo(max);
    }

    @Test
    void nanIsAboveInfinityAndTiesGoToTheEarlierPoint() {
        MetricRollups rollups = new MetricRollups();
        rollups.add(1, 1, 3, T0, 1.0);
        rollups.add(1, 1, 2, T0.plusSeconds(5), Double.POSITIVE_INFINITY);
        rollups.add(1, 1, 4, T0, Double.NaN);
        rollups.add(1, 1, 1, T0.plusSeconds(1), 1.0);
        rollups.add(1, 1, 1, T0, 1.0);
        rollups.add(1, 1, 5, T0, Double.NaN);
        Rollup bucket = rollups.rollups().get(0);
        assertThat(bucket.min()).isEqualTo(new Point(1, T0, 1.0));
        assertThat(bucket.max().step()).isEqualTo(4);
        assertThat(bucket.max().value()).isNaN();
    }

    @Test
    void rollupsAreInLockOrder() {
        MetricRollups rollups = new MetricRollups();
        rollups.add(9, 2, 40, T0, 1);
        rollups.add(3, 5, 0, T0, 1);
        rollups.add(9, 1, 17, T0, 1);
        rollups.add(9, 1, 0, T0, 1);
        List<Rollup> all = rollups.rollups();
        assertThat(all)
                .isSortedAccordingTo((a, b) -> a.runRef() != b.runRef()
                        ? Long.compare(a.runRef(), b.runRef())
                        : a.keyRef() != b.keyRef()
                                ? Integer.compare(a.keyRef(), b.keyRef())
                                : a.level() != b.level()
                                        ? Integer.compare(a.level(), b.level())
                                        : Long.compare(a.bucket(), b.bucket()));
        assertThat(rollups.size()).isEqualTo(all.size());
    }
}
