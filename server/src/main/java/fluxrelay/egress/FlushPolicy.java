package fluxrelay.egress;

import java.time.Duration;

/**
 * How often an event loop flushes its viewers' connections: every {@code minInterval} while the loop's flushes stay
 * within {@code flushesPerSecond}, longer (up to {@code maxInterval}) as more viewers share the loop. Each flush is
 * a socket write whose kernel cost hardly depends on its size, so a crowded loop trades a few tens of milliseconds
 * of latency for far fewer writes, and a small room keeps the shortest delay.
 *
 * <p>The interval may be cut into {@code slots}: each viewer of the loop then has its own slot (its phase in the
 * interval) and each slot's tick flushes only the viewers of that slot, so a loop with thousands of viewers writes a
 * share of them at a time instead of all in one instant, the last one waiting behind the others' writes. Each
 * viewer is still flushed once per interval. With the adaptive interval the ticks follow its length, as the
 * viewers of the last interval set it.
 *
 * @param minInterval shortest delay from a viewer's first unflushed write to its flush; zero flushes every write
 * @param maxInterval longest such delay, however many viewers the loop has (at least {@code minInterval})
 * @param flushesPerSecond viewer flushes per second one loop aims not to exceed; 0 keeps {@code minInterval}
 * @param slots how many parts of the interval the loop's viewers are spread over; 1 flushes them all together, more
 *     needs an interval of at least 1 ns per slot
 * @param mergeBlockBytes when not 0, the messages that a loop's viewers in step share are copied into blocks of this
 *     size kept across ticks, so a viewer's window leaves as one slice whatever its slot; 0 shares them per tick
 * @param mergeMaxBlocks most such blocks alive per group of viewers and loop (at least 2 when blocks are on); beyond
 *     it the viewers write their messages one by one
 */
public record FlushPolicy(Duration minInterval, Duration maxInterval, int flushesPerSecond, int slots, int mergeBlockBytes,
        int mergeMaxBlocks) {

    public FlushPolicy {
        if (mergeBlockBytes < 0 || (mergeBlockBytes > 0 && mergeMaxBlocks < 2)) {
            throw new IllegalArgumentException("need mergeBlockBytes >= 0 and, with blocks, mergeMaxBlocks >= 2, got "
                    + mergeBlockBytes + ", " + mergeMaxBlocks);
        }
        if (minInterval.isNegative() || maxInterval.compareTo(minInterval) < 0 || flushesPerSecond < 0) {
            throw new IllegalArgumentException("need 0 <= minInterval <= maxInterval and flushesPerSecond >= 0, got "
                    + minInterval + ", " + maxInterval + ", " + flushesPerSecond);
        }
        if (slots < 1 || (slots > 1 && minInterval.toNanos() < slots)) {
            throw new IllegalArgumentException("slots must be 1, or more with an interval of at least 1 ns per slot,"
                    + " got " + slots + " for " + minInterval + ".." + maxInterval);
        }
    }

    /** True for a fixed, non-zero interval (a merged-write window): ticks then keep to a grid. */
    public boolean fixedWindow() {
        return flushesPerSecond == 0 && minInterval.equals(maxInterval) && !minInterval.isZero();
    }

    /** A policy whose shared messages are merged per tick (no merge blocks). */
    public FlushPolicy(Duration minInterval, Duration maxInterval, int flushesPerSecond, int slots) {
        this(minInterval, maxInterval, flushesPerSecond, slots, 0, 0);
    }

    /** An adaptive policy whose viewers are all flushed together. */
    public FlushPolicy(Duration minInterval, Duration maxInterval, int flushesPerSecond) {
        this(minInterval, maxInterval, flushesPerSecond, 1);
    }

    /** Always the same interval. */
    public static FlushPolicy fixed(Duration interval) {
        return new FlushPolicy(interval, interval, 0, 1);
    }

    /**
     * The policy of the configuration: merged writes every {@code writeMerge} when it is not zero (a fixed window
     * however many viewers the loop has, for audiences that accept the delay), the adaptive interval otherwise.
     * Viewers are flushed together.
     */
    public static FlushPolicy of(Duration minInterval, Duration maxInterval, int flushesPerSecond, Duration writeMerge) {
        return of(minInterval, maxInterval, flushesPerSecond, writeMerge, 1);
    }

    /**
     * As {@link #of(Duration, Duration, int, Duration)}, with a merged write's viewers spread over
     * {@code writeMergeSlots} parts of its window (ignored by the adaptive interval). No merge blocks.
     */
    public static FlushPolicy of(Duration minInterval, Duration maxInterval, int flushesPerSecond, Duration writeMerge,
            int writeMergeSlots) {
        return of(minInterval, maxInterval, flushesPerSecond, writeMerge, writeMergeSlots, 0, 0, 1, 0, 0);
    }

    /**
     * The policy of the configuration, whole. Merged writes: every {@code writeMerge}, their viewers spread over
     * {@code writeMergeSlots} parts of the window, their shared messages kept in blocks of {@code blockBytes} (0: merged
     * per tick), at most {@code maxBlocks} alive per group. The adaptive interval: its viewers spread over
     * {@code flushSlots} parts of it, its shared messages kept in blocks of {@code flushBlockBytes} (0: shared per
     * tick), at most {@code flushMaxBlocks} alive, so a viewer's interval still leaves as one buffer whatever its slot
     * and the viewers in step go in lockstep. An interval of 0 (every write flushed at once) has no slots and no blocks.
     */
    public static FlushPolicy of(Duration minInterval, Duration maxInterval, int flushesPerSecond, Duration writeMerge,
            int writeMergeSlots, int blockBytes, int maxBlocks, int flushSlots, int flushBlockBytes, int flushMaxBlocks) {
        if (!writeMerge.isZero()) {
            return new FlushPolicy(writeMerge, writeMerge, 0, writeMergeSlots, blockBytes, maxBlocks);
        }
        if (minInterval.isZero()) {
            return new FlushPolicy(minInterval, maxInterval, flushesPerSecond, 1);
        }
        return new FlushPolicy(minInterval, maxInterval, flushesPerSecond, flushSlots, flushBlockBytes,
                flushBlockBytes > 0 ? flushMaxBlocks : 0);
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

    /**
     * The time between two ticks of a loop whose last interval (its last {@code slots} ticks) flushed {@code viewers}
     * connections: the interval for them divided by the slots.
     */
    public long tickNanos(int viewers) {
        return intervalNanos(viewers) / slots;
    }
}
