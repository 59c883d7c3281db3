package fluxrelay.stream;

import fluxrelay.media.MediaFrame;

/**
 * A publisher's hold on a room: frames go in through it, and closing it ends the publish.
 *
 * <p>Once another publisher takes the room over, this slot is stale: its frames are released unseen.
 */
public final class PublisherSlot implements AutoCloseable {

    /** Warnings about the picture format, judged at each video sequence header. */
    public static final String FORMAT = "format";
    /** Warnings about the video bitrate, judged every few seconds. */
    public static final String BITRATE = "bitrate";
    /** The encoder's timestamps jumped during this publish (set by the hub, kept until the publish ends). */
    public static final String TIMESTAMPS = "timestamps";

    private final LiveStream stream;
    private final Publisher publisher;
    private final long startedNanos;

    PublisherSlot(LiveStream stream, Publisher publisher, long startedNanos) {
        this.stream = stream;
        this.publisher = publisher;
        this.startedNanos = startedNanos;
    }

    /** Publishes a frame; takes ownership of the caller's reference. Call from the publisher's thread. */
    public void publish(MediaFrame frame) {
        stream.publish(this, frame);
    }

    /**
     * The frames that follow come from another source (a program switching inputs, called before the new source's
     * sequence headers and keyframe): the timeline continues, subscribers stay and hear of it
     * ({@link StreamSubscriber#onSourceSwitch}). Call from the thread that publishes.
     *
     * @param parametersChanged the new source's sequence headers differ from the old one's
     */
    public void switchSource(boolean parametersChanged) {
        stream.switchSource(this, parametersChanged);
    }

    /**
     * The source this publisher relays jumped in time and was rebased where it came from: subscribers hear of a
     * discontinuity before the next frame, as when an encoder's own timestamps jump.
     */
    public void discontinuity() {
        stream.relayDiscontinuity(this);
    }

    /** Records the encoder's name for the room state. */
    public void describeEncoder(String name) {
        stream.describe(this, name, null, null);
    }

    /**
     * Sets the policy warning of one topic in the room state ({@link #FORMAT}, {@link #BITRATE}), replacing the
     * previous one; null clears it, so a stream back within the rules shows no stale warning.
     */
    public void warn(String topic, String warning) {
        stream.describe(this, null, topic, warning);
    }

    /** The room this slot publishes into. */
    public LiveStream stream() {
        return stream;
    }

    /** The publisher holding the slot. */
    public Publisher publisher() {
        return publisher;
    }

    /** {@link System#nanoTime()} when the publish started. */
    public long startedNanos() {
        return startedNanos;
    }

    /** True while this slot is the room's current publisher. */
    public boolean isCurrent() {
        return stream.isCurrent(this);
    }

    /** Ends the publish (idempotent); viewers stay attached and wait for the next publisher. */
    @Override
    public void close() {
        stream.unpublish(this);
    }
}
