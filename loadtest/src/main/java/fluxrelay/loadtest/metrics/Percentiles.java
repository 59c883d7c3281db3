package fluxrelay.loadtest.metrics;

import org.HdrHistogram.Histogram;

/**
 * p50, p90, p99 and max of a histogram of microseconds, in milliseconds; all NaN when nothing was recorded.
 *
 * @param count values recorded
 */
public record Percentiles(long count, double p50, double p90, double p99, double max) {

    /** No values. */
    public static final Percentiles EMPTY = new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** The percentiles of {@code micros}. */
    public static Percentiles of(Histogram micros) {
        if (micros == null || micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new Percentiles(micros.getTotalCount(), ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
                ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
    }

    /** The percentiles of a few values in microseconds (one per viewer, say), negative ones left out. */
    public static Percentiles ofMicros(long... micros) {
        Histogram histogram = new Histogram(3);
        for (long value : micros) {
            if (value >= 0) {
                histogram.recordValue(value);
            }
        }
        return of(histogram);
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
