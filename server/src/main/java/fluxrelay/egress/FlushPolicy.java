package fluxrelay.egress;

import java.time.Duration;

/**
 * How often an event loop flushes its viewers' connections: every {@code minInterval} while the loop's flushes stay
 * within {@code flushesPerSecond}, longer (up to {@code maxInterval}) as more viewers share the loop. Each flush is
 * a socket write whose kernel cost hardly depends on its size, so a crowded loop trades a few tens of milliseconds
 * of latency for far fewer writes, and a small room keeps the shortest delay.
 *
 * @param minInterval shortest delay from a viewer's first unflushed write to its flush; zero flushes every write
 * @param maxInterval longest such delay, however many viewers the loop has (at least {@code minInterval})
 * @param flushesPerSecond viewer flushes per second one loop aims not to exceed; 0 keeps {@code minInterval}
 */
public record FlushPolicy(Duration minInterval, Duration maxInterval, int flushesPerSecond) {

    public FlushPolicy {
        if (minInterval.isNegative() || maxInterval.compareTo(minInterval) < 0 || flushesPerSecond < 0) {
            throw new IllegalArgumentException("need 0 <= minInterval <= maxInterval and flushesPerSecond >= 0, got "
                    + minInterval + ", " + maxInterval + ", " + flushesPerSecond);
        }
    }

    /** Always the same interval. */
    public static FlushPolicy fixed(Duration interval) {
        return new FlushPolicy(interval, interval, 0);
    }

    /**
     * The policy of the configuration: merged writes every {@code writeMerge} when it is not zero (a fixed window
     * however many viewers the loop has, for audiences that accept the delay), the adaptive interval otherwise.
     */
    public static FlushPolicy of(Duration minInterval, Duration maxInterval, int flushesPerSecond, Duration writeMerge) {
        return writeMerge.isZero() ? new FlushPolicy(minInterval, maxInterval, flushesPerSecond) : fixed(writeMerge);
    }

    /** Whether writes wait for a batch at all (false: every write is flushed at once). */
    public boolean batches() {
        return !minInterval.isZero();
    }

    /** The delay before the next batch of a loop whose last batch flushed {@code viewers} connections. */
    public long intervalNanos(int viewers) {
        long min = minInterval.toNanos();
        if (flushesPerSecond == 0 || min == 0) {
            return min;
        }
        long wanted = viewers * 1_000_000_000L / flushesPerSecond;
        return Math.max(min, Math.min(maxInterval.toNanos(), wanted));
    }
}
