package fluxrelay.stream;

import fluxrelay.media.MediaFrame;

/**
 * An internal reader of an input hub, not a viewer: it hears of every publish and every frame the moment the hub takes
 * it, whether or not the room is shown, and is never counted among subscribers. A room's program switch reads its
 * inputs so.
 *
 * <p>Called synchronously under the input hub's lock, on the publisher's thread: an implementation returns at once,
 * never blocks and never calls back into the hub it taps (it may publish into another hub: locks are taken input hub
 * first, then program hub, never the reverse).
 */
public interface FeedTap {

    /** A publisher took the hub's slot; frames of the new publish follow. */
    void onPublishStart(FeedId feed);

    /**
     * A frame on the input's own (monotonic) timeline. The reference is borrowed for the call: a tap that keeps or
     * forwards the frame retains it (or a duplicate) first.
     */
    void onFrame(FeedId feed, MediaFrame frame);

    /**
     * A frame of an Enhanced RTMP v2 track other than the default one (its {@code track()} is not 0), on the hub's
     * timeline: handed to taps only, never cached, counted or sent to subscribers. Borrowed as in {@link #onFrame}.
     * Ignored unless a tap carries renditions.
     */
    default void onTrackFrame(FeedId feed, MediaFrame frame) {
    }

    /** The encoder's timestamps jumped and the hub rebased them; the next frame is the first after the jump. */
    default void onDiscontinuity(FeedId feed) {
    }

    /** The publish ended (disconnected, evicted, hub closed); no frame follows until the next start. */
    void onPublishStop(FeedId feed);
}
