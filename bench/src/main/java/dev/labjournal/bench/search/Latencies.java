package dev.labjournal.bench.search;

import java.util.Arrays;
import java.util.Locale;

/** Measured durations of one kind of request, in milliseconds, with nearest-rank percentiles. */
public final class Latencies {

    private final String name;
    private double[] millis = new double[16];
    private int count;

    public Latencies(String name) {
        this.name = name;
    }

    public void add(long nanos) {
        if (count == millis.length) {
            millis = Arrays.copyOf(millis, count * 2);
        }
        millis[count++] = nanos / 1e6;
    }

    public int count() {
        return count;
    }

    /** The nearest-rank percentile: the smallest value with at least p % of the values at or below it. */
    public double percentile(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(millis, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * count);
        return sorted[Math.max(0, Math.min(count - 1, rank - 1))];
    }

    public String describe() {
        return String.format(
                Locale.ROOT,
                "%-28s n=%4d  p50 %7.1f ms  p90 %7.1f ms  p99 %7.1f ms  max %7.1f ms",
                name,
                count,
                percentile(50),
                percentile(90),
                percentile(99),
                percentile(100));
    }
}
