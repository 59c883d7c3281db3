package fluxrelay.ladder;

import java.time.Duration;

/**
 * The wait before restarting a failed process: {@code min} after the first failure, doubling per failure up to
 * {@code max}; a run that lasted longer than {@code max} counts as healthy and starts the series again. Not
 * thread-safe (one per supervised room, used on the ladder's thread).
 */
final class Backoff {

    private final Duration min;
    private final Duration max;
    private Duration next;

    Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < min <= max, got " + min + " and " + max);
        }
        this.min = min;
        this.max = max;
        this.next = min;
    }

    /** The wait before the next start of a process that ran {@code ranFor} before it exited. */
    Duration afterRun(Duration ranFor) {
        if (ranFor.compareTo(max) > 0) {
            next = min;
        }
        Duration wait = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }

    /** Forgets past failures (a new publish of the room). */
    void reset() {
        next = min;
    }
}
