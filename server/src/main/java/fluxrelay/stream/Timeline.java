package fluxrelay.stream;

import java.util.concurrent.TimeUnit;

/**
 * Maps each publisher's 32-bit timestamps onto one continuous, never decreasing room timeline.
 *
 * <p>The first publisher keeps its own timestamps. A publisher that takes over (an encoder reconnecting
 * after a network drop) continues where the last frame left off plus the wall-clock time that passed, so
 * viewers stay connected, their players see time move forward, and no latency piles up. Timestamps that
 * wrap past 2^32 ms are unwrapped. Not thread-safe; the owning {@link LiveStream} guards it.
 */
final class Timeline {

    private static final long WRAP = 1L << 32;

    private long lastOut = -1;
    private long lastOutNanos;
    private long offset;
    private boolean publisherChanged = true;
    private long lastIn = -1;
    private long wraps;

    /** The next frame comes from a new publisher. */
    void newPublisher() {
        publisherChanged = true;
        lastIn = -1;
        wraps = 0;
    }

    /** The room timeline position for a publisher timestamp (ms, 32-bit unsigned). */
    long map(long timestamp32, long nowNanos) {
        long in = timestamp32 & 0xFFFFFFFFL;
        if (lastIn >= 0 && in < lastIn && lastIn - in > WRAP / 2) {
            wraps++;
        }
        lastIn = in;
        long extended = wraps * WRAP + in;
        if (publisherChanged) {
            publisherChanged = false;
            long base = lastOut < 0 ? extended
                    : lastOut + Math.max(1, TimeUnit.NANOSECONDS.toMillis(nowNanos - lastOutNanos));
            offset = base - extended;
        }
        long out = Math.max(extended + offset, lastOut);
        lastOut = out;
        lastOutNanos = nowNanos;
        return out;
    }

    /** The last timestamp handed out, or -1. */
    long lastTimestamp() {
        return lastOut;
    }
}
