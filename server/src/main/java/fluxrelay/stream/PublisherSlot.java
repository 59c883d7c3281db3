package fluxrelay.stream;

import fluxrelay.media.MediaFrame;

/**
 * A publisher's hold on a room: frames go in through it, and closing it ends the publish.
 *
 * <p>Once another publisher takes the room over, this slot is stale: its frames are released unseen.
 */
public final class PublisherSlot implements AutoCloseable {

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

    /** Records the encoder's name for the room state. */
    public void describeEncoder(String name) {
        stream.describe(this, name, null);
    }

    /** Adds a policy warning to the room state (kept once, a few at most). */
    public void warn(String warning) {
        stream.describe(this, null, warning);
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
