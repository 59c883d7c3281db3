package fluxrelay.loadtest.source;

import java.util.Arrays;

/**
 * Real-time schedule of a looped tag sequence: which tag is due when, with timestamps that continue
 * across loops (one loop lasts from the first tag to one frame interval past the last), as an encoder's
 * would. Pure arithmetic on the tags' timestamps; one instance per publisher, not thread-safe.
 */
public final class Pacer {

    private final long[] timestamps;
    private final long first;
    private final long loopDuration;
    private long next;

    /**
     * @param timestamps the tags' timestamps, ms, in send order
     * @param loopDuration length of one loop, ms (see {@link #loopDuration})
     */
    public Pacer(long[] timestamps, long loopDuration) {
        if (timestamps.length == 0) {
            throw new IllegalArgumentException("nothing to pace");
        }
        if (loopDuration <= 0) {
            throw new IllegalArgumentException("loop duration must be positive, got " + loopDuration);
        }
        this.timestamps = timestamps.clone();
        this.first = timestamps[0];
        this.loopDuration = loopDuration;
    }

    /**
     * Length of a loop: from the first timestamp to the last plus the typical (median) video frame
     * interval, so the first frame of the next loop follows the last one at the usual spacing.
     *
     * @param all every tag's timestamp, ms
     * @param video the video tags' timestamps, ms (the audio's are used when there is no video)
     */
    public static long loopDuration(long[] all, long[] video) {
        long[] paced = video.length > 1 ? video : all;
        long span = Arrays.stream(all).max().orElse(0) - Arrays.stream(all).min().orElse(0);
        long step = 33;
        if (paced.length > 1) {
            long[] deltas = new long[paced.length - 1];
            for (int i = 1; i < paced.length; i++) {
                deltas[i - 1] = Math.max(0, paced[i] - paced[i - 1]);
            }
            Arrays.sort(deltas);
            step = Math.max(1, deltas[deltas.length / 2]);
        }
        return span + step;
    }

    /** Index in the tag list of the next tag to send. */
    public int nextIndex() {
        return (int) (next % timestamps.length);
    }

    /** Timestamp of the next tag on the continuous timeline, ms from the start of the replay. */
    public long nextTimestamp() {
        long loop = next / timestamps.length;
        return timestamps[nextIndex()] - first + loop * loopDuration;
    }

    /** True when the next tag is due {@code elapsedMillis} after the replay started. */
    public boolean due(long elapsedMillis) {
        return nextTimestamp() <= elapsedMillis;
    }

    /** Moves on to the following tag. */
    public void advance() {
        next++;
    }

    /** Tags handed out so far. */
    public long sent() {
        return next;
    }
}
