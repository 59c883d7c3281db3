package fluxrelay.loadtest.stamp;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Wall-clock microseconds for latency stamps, read without allocation: the epoch time is taken once and
 * advanced by {@link System#nanoTime()}, so stamps are monotonic and microsecond-fine within one process and
 * agree to about a millisecond between processes on the same machine.
 */
public final class LoadClock {

    private static final long BASE_NANOS = System.nanoTime();
    private static final long BASE_EPOCH_MICROS = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());

    private LoadClock() {
    }

    /** Microseconds since the Unix epoch. */
    public static long nowMicros() {
        return BASE_EPOCH_MICROS + (System.nanoTime() - BASE_NANOS) / 1000;
    }

    /** The stamp clock's value at a given {@link System#nanoTime()} reading. */
    public static long microsAt(long nanoTime) {
        return BASE_EPOCH_MICROS + (nanoTime - BASE_NANOS) / 1000;
    }
}
