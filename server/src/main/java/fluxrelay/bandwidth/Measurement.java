package fluxrelay.bandwidth;

/**
 * One measured delivery rate.
 *
 * @param bitsPerSecond measured rate, bit/s ({@code bytes} over {@code nanos})
 * @param bytes payload bytes the rate is computed over (the timed part)
 * @param nanos time the rate is computed over, after latency correction
 * @param latencyMicros round-trip latency, microseconds, or -1 when unknown
 * @param method the evidence of delivery
 * @param complete false when the measurement timed out before all bytes were delivered (the rate is then an
 *                 upper bound)
 * @param sentBytes every payload byte the probe sent, warm-up included (at least {@code bytes}): what a client
 *                  downloaded, as opposed to what was timed
 */
public record Measurement(long bitsPerSecond, long bytes, long nanos, long latencyMicros, MeasurementMethod method,
                          boolean complete, long sentBytes) {

    public Measurement {
        sentBytes = Math.max(sentBytes, bytes);
    }

    /** A measurement whose timed bytes are all it sent (no warm-up, or none known). */
    public Measurement(long bitsPerSecond, long bytes, long nanos, long latencyMicros, MeasurementMethod method,
                       boolean complete) {
        this(bitsPerSecond, bytes, nanos, latencyMicros, method, complete, bytes);
    }

    /** The rate of {@code bytes} over {@code nanos}. */
    public static long rate(long bytes, long nanos) {
        return nanos <= 0 ? Long.MAX_VALUE : (long) (bytes * 8e9 / nanos);
    }

    /** The measured rate in megabit/s. */
    public double mbps() {
        return bitsPerSecond / 1e6;
    }

    /** Latency in milliseconds, or -1. */
    public double latencyMillis() {
        return latencyMicros < 0 ? -1 : latencyMicros / 1000.0;
    }
}
