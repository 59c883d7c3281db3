package fluxrelay.stream;

import fluxrelay.media.MediaFrame;
import java.util.concurrent.Executor;

/**
 * An output of a live stream: an RTMP or HTTP-FLV viewer, or a packager.
 *
 * <p>The hub calls every method on {@link #executor()}, in order, never concurrently; subscribers that share
 * an executor are served by one task per frame. A subscriber never blocks its executor.
 */
public interface StreamSubscriber {

    /** The thread (event loop) this subscriber lives on. */
    Executor executor();

    /**
     * Whether a subscribe made now, on this thread, may hand the subscriber its start (start, cached frames, start
     * frames delivered) before it returns rather than in a task queued on {@link #executor()}: true only when the caller
     * runs on that executor and the subscriber can take its frames in the middle of subscribing. A joiner on a busy
     * event loop then gets its first frames at once instead of behind the loop's queued work.
     */
    default boolean startsWithinSubscribe() {
        return false;
    }

    /**
     * The stream became visible to viewers: a publisher is on and the room is shown. Frames follow,
     * starting with metadata, sequence headers and a keyframe.
     */
    void onStreamStart(StreamStart start);

    /**
     * The next frame. The subscriber owns one reference and must release it exactly once, whether it
     * writes it or drops it. The payload is shared with other subscribers: read it, never modify it or move
     * its indexes.
     */
    void onFrame(MediaFrame frame);

    /**
     * As {@link #onFrame(MediaFrame)}, for a frame handed to the subscribers of one executor together at
     * {@code nowNanos} ({@link System#nanoTime()}, read once for all of them rather than by each of a crowd).
     */
    default void onFrame(MediaFrame frame, long nowNanos) {
        onFrame(frame);
    }

    /**
     * The frames a start began with (metadata, sequence headers and the GOP cache from its keyframe) were all
     * handed over; live frames follow. A subscriber that batches its writes sends what it has now, so a joiner's
     * first picture does not wait for the next batch.
     */
    default void onStartFramesDelivered() {
    }

    /**
     * The encoder's timestamps jumped (forward past the room's bound, or back) and the hub rebased the room's
     * timeline: the next frame's timestamp still follows on from the last, but the media before and after may
     * not belong together. Viewers need nothing; a packager starts a new segment with a discontinuity.
     */
    default void onDiscontinuity() {
    }

    /**
     * The room's program switched to another input: the next frames are the new input's sequence headers (when
     * {@code parametersChanged}, they differ from the old input's) and keyframe, on a timeline that continues. Viewers
     * need nothing; a packager cuts a segment there, with a discontinuity only when the parameters changed.
     */
    default void onSourceSwitch(boolean parametersChanged) {
    }

    /** The publisher stopped or the room was hidden; the subscriber stays and may get another start. */
    void onStreamStop(StreamStop reason);

    /** The hub drops this subscriber (room deleted, server closing); no more calls follow. */
    void onClosed(String reason);
}
