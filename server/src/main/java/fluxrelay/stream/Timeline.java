package fluxrelay.stream;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Maps each publisher's 32-bit timestamps onto one continuous, never decreasing room timeline.
 *
 * <p>The first publisher keeps its own timestamps. A publisher that takes over (an encoder reconnecting
 * after a network drop) continues where the last frame left off plus the wall-clock time that passed, so
 * viewers stay connected, their players see time move forward, and no latency piles up.
 *
 * <p>Within one publish, each timestamp is read as a step from the one before it, modulo 2^32: a small step
 * forward (up to {@code maxJumpMs}) is followed as it is, which also carries a genuine wrap past 2^32 ms
 * (49.7 days) across; a small step back (up to {@value #REORDER_TOLERANCE_MS} ms, audio and video interleaved
 * a little out of order) holds the timeline where it is. Any other step is a <em>discontinuity</em> (an
 * encoder whose clock jumped, restarted or sends garbage): the timeline is rebased so that the frame lands
 * one frame after the end of what came before, and {@link #discontinuity()} says so, for the packagers to
 * mark it. "The end" is per track: each track's latest presentation time plus its own frame step, so no
 * picture after the jump is presented at or before one from before it (B-frames present after they decode).
 * Whatever the encoder sends, consecutive outputs differ by at most {@code maxJumpMs}, or two seconds at a
 * discontinuity.
 *
 * <p>Not thread-safe; the owning {@link LiveStream} guards it.
 */
final class Timeline {

    /**
     * A step back up to this far is frames of two tracks interleaved a little out of order, not a jump. An
     * encoder interleaves its audio and video within a few hundred ms; one second leaves room to spare while
     * a viewer sees at most a one-second hold before a real backward jump is caught.
     */
    static final long REORDER_TOLERANCE_MS = 1000;
    /** The step remembered as one frame's duration is at most this (no track runs slower than 1 frame/s). */
    static final long MAX_FRAME_STEP_MS = 1000;
    private static final long MASK = 0xFFFFFFFFL;

    /** What a frame carries, for the per-track end of the media at a rebase. */
    enum Track { VIDEO, AUDIO, OTHER }

    private final long maxJumpMs;
    private long lastOut = -1;
    private long lastOutNanos;
    private long offset;
    private boolean publisherChanged = true;
    private long lastIn = -1;
    private long position;
    private boolean discontinuity;
    private final long[] trackLast = {-1, -1, -1};
    private final long[] trackStep = {1, 1, 1};
    private final long[] trackPresented = {-1, -1, -1};
    /** The current publisher's timestamps are already on this timeline (a rendition fed from its program). */
    private boolean keep;

    /**
     * @param maxJumpMs the largest step forward between two frames followed as it is; a longer one is a discontinuity
     */
    Timeline(long maxJumpMs) {
        if (maxJumpMs < 1 || maxJumpMs >= 1L << 31) {
            throw new IllegalArgumentException("maxJumpMs out of range: " + maxJumpMs);
        }
        this.maxJumpMs = maxJumpMs;
    }

    /** The next frame comes from a new publisher. */
    void newPublisher() {
        newPublisher(false);
    }

    /**
     * The next frame comes from a new publisher.
     *
     * @param keepTimestamps its timestamps are already on a continuous timeline (a rendition's frames, stamped by the
     *                       program's hub): they are taken as they are, only held from going back, so that the frames of
     *                       a rendition and of its program share their timestamps
     */
    void newPublisher(boolean keepTimestamps) {
        keep = keepTimestamps;
        publisherChanged = true;
        lastIn = -1;
        Arrays.fill(trackLast, -1);
    }

    /** The room timeline position for a publisher timestamp (ms, 32-bit unsigned) of a frame of no particular track. */
    long map(long timestamp32, long nowNanos) {
        return map(timestamp32, Track.OTHER, 0, nowNanos);
    }

    /**
     * The room timeline position for a publisher timestamp (ms, 32-bit unsigned).
     *
     * @param compositionTime presentation minus decode time, ms (video with B-frames; else 0)
     */
    long map(long timestamp32, Track track, int compositionTime, long nowNanos) {
        discontinuity = false;
        if (keep) {
            long out = Math.max(timestamp32, lastOut);
            lastOut = out;
            lastOutNanos = nowNanos;
            return out;
        }
        long in = timestamp32 & MASK;
        if (publisherChanged) {
            publisherChanged = false;
            position = in;
            long base = lastOut < 0 ? in
                    : Math.max(lastOut + Math.max(1, TimeUnit.NANOSECONDS.toMillis(nowNanos - lastOutNanos)), mediaEnd());
            offset = base - position;
        } else {
            long forward = (in - lastIn) & MASK;
            long backward = (lastIn - in) & MASK;
            if (forward <= maxJumpMs) {
                position += forward;
            } else if (backward <= REORDER_TOLERANCE_MS) {
                position -= backward;
            } else {
                discontinuity = true;
                position = in;
                offset = mediaEnd() - position;
            }
        }
        lastIn = in;
        long out = Math.max(position + offset, lastOut);
        lastOut = out;
        lastOutNanos = nowNanos;
        int t = track.ordinal();
        if (trackLast[t] >= 0 && out > trackLast[t] && !discontinuity) {
            trackStep[t] = Math.min(out - trackLast[t], MAX_FRAME_STEP_MS);
        }
        trackLast[t] = out;
        trackPresented[t] = Math.max(trackPresented[t], out + Math.min(Math.max(0, compositionTime), MAX_FRAME_STEP_MS));
        return out;
    }

    /** Where the next frame may start after a break: one frame past each track's last presentation, past the last output. */
    private long mediaEnd() {
        long end = lastOut + 1;
        for (int t = 0; t < trackPresented.length; t++) {
            if (trackPresented[t] >= 0) {
                end = Math.max(end, trackPresented[t] + trackStep[t]);
            }
        }
        return end;
    }

    /** True when the last {@link #map} found a discontinuity and rebased the timeline. */
    boolean discontinuity() {
        return discontinuity;
    }

    /** The last timestamp handed out, or -1. */
    long lastTimestamp() {
        return lastOut;
    }
}
