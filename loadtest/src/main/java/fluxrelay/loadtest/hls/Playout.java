package fluxrelay.loadtest.hls;

import java.util.concurrent.TimeUnit;

/**
 * The playback clock of a segment player: playback starts when the first segment is in, media time then
 * advances with wall time while there is buffered media, and the player rebuffers when it runs dry until the
 * next segment arrives. Pure arithmetic on {@link System#nanoTime()} readings; single-threaded.
 */
public final class Playout {

    private long startNanos = -1;
    private long bufferedNanos;
    private long stalledNanos;
    private long dryAtNanos = -1;

    /** A segment of {@code durationSeconds} finished downloading; returns how long playback had been stalled, ns (0 if not). */
    public long segment(long nowNanos, double durationSeconds) {
        long stall = 0;
        if (startNanos < 0) {
            startNanos = nowNanos;
        } else if (dryAtNanos >= 0) {
            stall = nowNanos - dryAtNanos;
            stalledNanos += stall;
            dryAtNanos = -1;
        } else {
            long dry = runsDryAt();
            if (nowNanos > dry) {
                stall = nowNanos - dry;
                stalledNanos += stall;
            }
        }
        bufferedNanos += (long) (durationSeconds * TimeUnit.SECONDS.toNanos(1));
        return stall;
    }

    /** Whether playback is stalled at {@code nowNanos}; records when the buffer ran dry. */
    public boolean stalled(long nowNanos) {
        if (startNanos < 0) {
            return false;
        }
        if (dryAtNanos < 0 && nowNanos >= runsDryAt()) {
            dryAtNanos = runsDryAt();
        }
        return dryAtNanos >= 0;
    }

    /** When the buffer runs dry if nothing more arrives (valid while playing). */
    public long runsDryAt() {
        return startNanos + bufferedNanos + stalledNanos;
    }

    /** When the buffer ran dry, or -1 while playing. */
    public long dryAtNanos() {
        return dryAtNanos;
    }

    /** Media buffered ahead of the playhead at {@code nowNanos}, ns (0 while stalled or before start). */
    public long bufferAheadNanos(long nowNanos) {
        return startNanos < 0 || dryAtNanos >= 0 ? 0 : Math.max(0, runsDryAt() - nowNanos);
    }
}
