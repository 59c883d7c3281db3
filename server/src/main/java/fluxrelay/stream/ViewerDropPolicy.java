package fluxrelay.stream;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;

/**
 * Decides, frame by frame, what a viewer that may be falling behind receives, so that its picture stays
 * clean and it never holds up anyone else.
 *
 * <p>While the viewer's queue is above its high mark, video is dropped by whole groups of pictures: once a
 * frame is dropped, every video frame up to the next keyframe goes too (never a reference frame in the
 * middle of a GOP), and the viewer resumes at that keyframe. Audio keeps flowing until the queue passes
 * its hard limit. Sequence headers and metadata always pass. A viewer behind for longer than the allowed
 * lag is to be disconnected. One instance per viewer, used on the viewer's thread.
 */
public final class ViewerDropPolicy {

    /** What to do with one frame. */
    public enum Verdict { DELIVER, DROP, DISCONNECT }

    private final long maxQueuedBytes;
    private final long maxLagNanos;
    private final DropSink counters;
    private boolean skippingToKeyframe;
    private long behindSinceNanos = -1;

    /**
     * @param maxQueuedBytes past this many queued bytes audio is dropped as well
     * @param maxLagNanos a viewer behind this long is disconnected
     * @param counters where drops are counted
     */
    public ViewerDropPolicy(long maxQueuedBytes, long maxLagNanos, DropSink counters) {
        this.maxQueuedBytes = maxQueuedBytes;
        this.maxLagNanos = maxLagNanos;
        this.counters = counters;
    }

    /**
     * @param frame the next frame
     * @param writable false while the viewer's queue is above its high mark
     * @param queuedBytes bytes waiting to be sent to the viewer
     * @param nowNanos the current {@link System#nanoTime()}
     */
    public Verdict decide(MediaFrame frame, boolean writable, long queuedBytes, long nowNanos) {
        if (writable) {
            behindSinceNanos = -1;
        } else if (behindSinceNanos < 0) {
            behindSinceNanos = nowNanos;
        } else if (nowNanos - behindSinceNanos > maxLagNanos) {
            return Verdict.DISCONNECT;
        }
        if (frame instanceof VideoFrame video) {
            return decideVideo(video, writable);
        }
        if (frame instanceof AudioFrame audio && !audio.sequenceHeader() && queuedBytes > maxQueuedBytes) {
            counters.dropped(DropReason.AUDIO_OVERFLOW, frame.size());
            return Verdict.DROP;
        }
        return Verdict.DELIVER;
    }

    private Verdict decideVideo(VideoFrame video, boolean writable) {
        if (video.isSequenceHeader()) {
            return Verdict.DELIVER;
        }
        if (skippingToKeyframe) {
            if (writable && video.isRandomAccessPoint()) {
                skippingToKeyframe = false;
                return Verdict.DELIVER;
            }
            counters.dropped(DropReason.GOP_SKIP, video.size());
            return Verdict.DROP;
        }
        if (!writable) {
            skippingToKeyframe = true;
            counters.dropped(DropReason.CONGESTION, video.size());
            return Verdict.DROP;
        }
        return Verdict.DELIVER;
    }

    /**
     * Whether every frame would be delivered for as long as the viewer's queue does not grow: it is writable (so no
     * longer behind), not skipping to a keyframe, and its queue is within the hard limit. A queue that is not written
     * to only drains, so the answer holds until the viewer's next write.
     */
    public boolean deliversAll(boolean writable, long queuedBytes) {
        if (!writable) {
            return false;
        }
        behindSinceNanos = -1;
        return !skippingToKeyframe && queuedBytes <= maxQueuedBytes;
    }

    /** The stream restarts (new publisher): resume only at a keyframe. */
    public void restart() {
        skippingToKeyframe = false;
    }

    /** True while the viewer is behind (queue above its high mark). */
    public boolean isBehind() {
        return behindSinceNanos >= 0;
    }

    /**
     * Re-judges a viewer between frames (a stuck viewer must go even when no frame arrives):
     * returns true when it has been behind longer than the allowed lag.
     *
     * @param writable whether the viewer's queue is below its high mark now
     */
    public boolean overdue(boolean writable, long nowNanos) {
        if (writable) {
            behindSinceNanos = -1;
            return false;
        }
        return behindSinceNanos >= 0 && nowNanos - behindSinceNanos > maxLagNanos;
    }

    /** The allowed lag, ns. */
    public long maxLagNanos() {
        return maxLagNanos;
    }
}
