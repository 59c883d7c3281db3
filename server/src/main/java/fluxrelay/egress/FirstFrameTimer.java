package fluxrelay.egress;

import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;

/**
 * Times one viewer from its connection to the first keyframe handed to its socket, for the time-to-first-frame
 * metric ({@link EgressCounters#timeToFirstFrameTo}). Only viewers that join a room already live are timed: one
 * that waits for a publisher measures the publisher, not the server. A viewer drops its timer as soon as the
 * timer says it is done, so a timed viewer costs one null check per frame after its first keyframe.
 *
 * <p>Used on the viewer's event loop.
 */
final class FirstFrameTimer {

    private final EgressCounters totals;
    private final long connectedNanos;
    private boolean started;
    private boolean timing;

    /**
     * @param totals where the time goes
     * @param connectedNanos {@link System#nanoTime()} when the connection became active
     */
    FirstFrameTimer(EgressCounters totals, long connectedNanos) {
        this.totals = totals;
        this.connectedNanos = connectedNanos;
    }

    /**
     * The stream started for the viewer; {@code afterWait} when the viewer had waited for it. Returns whether the
     * timer still has something to time: only the first start counts, and only when the room was already live.
     */
    boolean streamStarted(boolean afterWait) {
        timing = !started && !afterWait;
        started = true;
        return timing;
    }

    /**
     * A frame was handed to the viewer's connection at {@code nowNanos}. Returns true when the timer is done: the
     * first keyframe was timed, or there is nothing to time.
     */
    boolean delivered(MediaFrame frame, long nowNanos) {
        if (!timing) {
            return started;
        }
        if (frame instanceof VideoFrame video && video.isRandomAccessPoint() && !video.isSequenceHeader()) {
            timing = false;
            totals.firstFrame(nowNanos - connectedNanos);
            return true;
        }
        return false;
    }
}
