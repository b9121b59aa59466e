package dev.labjournal.ingest.domain;

import dev.labjournal.ingest.domain.RunEvent.RunKey;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metric points of one batch, column by column, and their per-(run, key) summary folded as they are added, so the
 * database gets one insert of plain rows and one small upsert of summaries.
 */
public final class MetricBatch {

    private static final int INITIAL_CAPACITY = 1024;

    private RunKey[] runs = new RunKey[INITIAL_CAPACITY];
    private String[] keys = new String[INITIAL_CAPACITY];
    private long[] steps = new long[INITIAL_CAPACITY];
    private OffsetDateTime[] times = new OffsetDateTime[INITIAL_CAPACITY];
    private double[] values = new double[INITIAL_CAPACITY];
    private int size;
    private final Map<Series, Fold> folds = new LinkedHashMap<>();
    private Fold lastFold;

    private record Series(RunKey run, String key) {}

    /** The running summary of one series: count, min and max (NaN ignored), the last point by step then time. */
    private static final class Fold {
        private final Series series;
        private long count;
        private double min = Double.NaN;
        private double max = Double.NaN;
        private long lastStep = Long.MIN_VALUE;
        private OffsetDateTime lastTime;
        private double lastValue;

        Fold(Series series) {
            this.series = series;
        }

        void add(long step, OffsetDateTime time, double value) {
            count++;
            if (!Double.isNaN(value)) {
                min = Double.isNaN(min) ? value : Math.min(min, value);
                max = Double.isNaN(max) ? value : Math.max(max, value);
            }
            if (lastTime == null || step > lastStep || (step == lastStep && !time.isBefore(lastTime))) {
                lastStep = step;
                lastTime = time;
                lastValue = value;
            }
        }

        MetricSummary summary() {
            return new MetricSummary(
                    series.run(),
                    series.key(),
                    lastValue,
                    lastStep,
                    lastTime,
                    Double.isNaN(min) ? null : min,
                    Double.isNaN(max) ? null : max,
                    count);
        }
    }

    public void add(RunKey run, String key, long step, OffsetDateTime time, double value) {
        if (size == values.length) {
            grow();
        }
        runs[size] = run;
        keys[size] = key;
        steps[size] = step;
        times[size] = time;
        values[size] = value;
        size++;
        fold(run, key).add(step, time, value);
    }

    private Fold fold(RunKey run, String key) {
        if (lastFold == null
                || lastFold.series.run() != run
                || !lastFold.series.key().equals(key)) {
            lastFold = folds.computeIfAbsent(new Series(run, key), Fold::new);
        }
        return lastFold;
    }

    private void grow() {
        int capacity = values.length * 2;
        runs = Arrays.copyOf(runs, capacity);
        keys = Arrays.copyOf(keys, capacity);
        steps = Arrays.copyOf(steps, capacity);
        times = Arrays.copyOf(times, capacity);
        values = Arrays.copyOf(values, capacity);
    }

    public int size() {
        return size;
    }

    public RunKey run(int i) {
        return runs[i];
    }

    public String key(int i) {
        return keys[i];
    }

    public long step(int i) {
        return steps[i];
    }

    public OffsetDateTime time(int i) {
        return times[i];
    }

    public double value(int i) {
        return values[i];
    }

    /** The metric keys of the batch, one per tenant and name. */
    public Set<MetricKey> metricKeys() {
        Set<MetricKey> set = new LinkedHashSet<>();
        folds.keySet().forEach(s -> set.add(new MetricKey(s.run().tenant(), s.key())));
        return set;
    }

    /** One summary per (run, key) of the points added: count, min and max (NaN ignored), the last point by step then time. */
    public List<MetricSummary> summaries() {
        return folds.values().stream().map(Fold::summary).toList();
    }
}
