package fluxrelay.bandwidth;

/**
 * Classifies one viewer as ok or below its room's required rate from delivery samples, cheaply: a few
 * fields and bit operations per sample, no allocation.
 *
 * <p>A connection delivers at most what the stream offers, so a window's rate says something about the link
 * only when the viewer was backlogged (network-limited): then the drained rate is the link's capacity. A
 * window in which the viewer kept up proves only that the link carries at least that rate; it counts as
 * evidence of "ok" when that rate already meets the requirement and is neutral otherwise. A viewer is
 * flagged when at least {@code flagWindows} windows among the last {@code 2 x flagWindows} were
 * network-limited below the requirement with no ok evidence since, and cleared after {@code flagWindows}
 * windows of ok evidence in a row.
 *
 * <p>The first window of a connection is ignored: the socket buffer swallows the join burst (the GOP
 * cache) in it at memory speed. HLS clients feed whole segment responses ({@link #segment}), which are
 * network-limited by nature. Not thread-safe: one instance per viewer, used on the viewer's thread.
 */
public final class DeliveryEstimator {

    /** What one sample changed. */
    public enum Change {
        /** Nothing to report. */
        NONE,
        /** The viewer just became persistently below. */
        FLAGGED,
        /** A flagged viewer has recovered. */
        CLEARED
    }

    /** Segments smaller than this are dominated by TCP slow start: neutral unless fast enough. */
    static final long MIN_SEGMENT_BYTES = 32 * 1024;

    private final long requiredBitsPerSecond;
    private final int flagWindows;
    private final long horizonMask;
    private long belowBits;
    private int okStreak;
    private boolean flagged;
    private boolean warmedUp;
    private long belowBytes;
    private long belowNanos;
    private long lastNetworkLimitedBps = -1;
    private long windows;

    /**
     * @param requiredBitsPerSecond the room's requirement
     * @param flagWindows below windows before a viewer is flagged (1 to 31)
     */
    public DeliveryEstimator(long requiredBitsPerSecond, int flagWindows) {
        if (flagWindows < 1 || flagWindows > 31) {
            throw new IllegalArgumentException("flagWindows must be 1..31, got " + flagWindows);
        }
        this.requiredBitsPerSecond = requiredBitsPerSecond;
        this.flagWindows = flagWindows;
        this.horizonMask = (1L << (2 * flagWindows)) - 1;
    }

    /**
     * One sampling window of a connection.
     *
     * @param bytes bytes the socket drained in the window
     * @param nanos the window's length
     * @param networkLimited the viewer was backlogged during the window (data waited to be sent)
     */
    public Change window(long bytes, long nanos, boolean networkLimited) {
        if (nanos <= 0) {
            return Change.NONE;
        }
        if (!warmedUp) {
            warmedUp = true;
            return Change.NONE;
        }
        return judge(bytes, nanos, networkLimited);
    }

    /** One HLS segment response of {@code bytes} delivered in {@code nanos}. */
    public Change segment(long bytes, long nanos) {
        return segment(bytes, nanos, requiredBitsPerSecond);
    }

    /**
     * One HLS segment response judged against {@code requiredBitsPerSecond} instead of the viewer's requirement: a
     * client fetches the variant it chose, and a segment of a lower rendition is judged against that rendition's need.
     */
    public Change segment(long bytes, long nanos, long requiredBitsPerSecond) {
        if (nanos <= 0) {
            return Change.NONE;
        }
        warmedUp = true;
        return judge(bytes, nanos, bytes >= MIN_SEGMENT_BYTES, requiredBitsPerSecond);
    }

    private Change judge(long bytes, long nanos, boolean networkLimited) {
        return judge(bytes, nanos, networkLimited, requiredBitsPerSecond);
    }

    private Change judge(long bytes, long nanos, boolean networkLimited, long requiredBitsPerSecond) {
        windows++;
        long rate = Measurement.rate(bytes, nanos);
        if (networkLimited) {
            lastNetworkLimitedBps = rate;
        }
        if (networkLimited && rate < requiredBitsPerSecond) {
            belowBits = ((belowBits << 1) | 1) & horizonMask;
            belowBytes += bytes;
            belowNanos += nanos;
            okStreak = 0;
            if (!flagged && Long.bitCount(belowBits) >= flagWindows) {
                flagged = true;
                return Change.FLAGGED;
            }
            return Change.NONE;
        }
        if (rate >= requiredBitsPerSecond) {
            belowBits = 0;
            belowBytes = 0;
            belowNanos = 0;
            okStreak++;
            if (flagged && okStreak >= flagWindows) {
                flagged = false;
                return Change.CLEARED;
            }
            return Change.NONE;
        }
        // Kept up with a stream slower than the requirement: says nothing about the link beyond that rate.
        belowBits = (belowBits << 1) & horizonMask;
        return Change.NONE;
    }

    /** True while the viewer is persistently below. */
    public boolean flagged() {
        return flagged;
    }

    /** True once at least one window has been judged. */
    public boolean judged() {
        return windows > 0;
    }

    /**
     * The best current figure of the link's rate, bit/s: the average over the recent below windows when there
     * are any, else the last network-limited window's rate, else -1 (the viewer always kept up).
     */
    public long estimateBitsPerSecond() {
        if (belowNanos > 0) {
            return Measurement.rate(belowBytes, belowNanos);
        }
        return lastNetworkLimitedBps;
    }

    /** Bytes and time the current below figure rests on. */
    public long belowBytes() {
        return belowBytes;
    }

    /** See {@link #belowBytes()}. */
    public long belowNanos() {
        return belowNanos;
    }
}
