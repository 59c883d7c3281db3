package fluxrelay.stream;

/** A subscriber's attachment to a live stream; closing it detaches the subscriber (idempotent). */
public final class Subscription implements AutoCloseable {

    private final LiveStream stream;
    private final StreamSubscriber subscriber;

    Subscription(LiveStream stream, StreamSubscriber subscriber) {
        this.stream = stream;
        this.subscriber = subscriber;
    }

    /** The stream subscribed to. */
    public LiveStream stream() {
        return stream;
    }

    @Override
    public void close() {
        stream.unsubscribe(subscriber);
    }
}
