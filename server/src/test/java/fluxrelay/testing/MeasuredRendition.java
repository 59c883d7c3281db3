package fluxrelay.testing;

import static org.awaitility.Awaitility.await;

import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A quality rendition of a room's program published straight into its hub with small keyframes, for admission tests
 * that need a rendition whose ingest rate (and so its need) is measured: {@link #start} returns once it is.
 */
public final class MeasuredRendition implements AutoCloseable {

    private final LiveStream hub;
    private final PublisherSlot slot;
    private long timestamp;

    private MeasuredRendition(LiveStream hub, PublisherSlot slot) {
        this.hub = hub;
        this.slot = slot;
    }

    /**
     * Publishes rendition {@code id} of {@code room} at a few kilobytes per poll (far below a megabit per second) until
     * its hub has measured a video rate.
     */
    public static MeasuredRendition start(StreamRegistry streams, String room, String id) {
        LiveStream hub = streams.stream(FeedId.rendition(room, id), false);
        PublishClaim claim = hub.claim(new LivePublisher(new InetSocketAddress("127.0.0.1", 40000)), Duration.ofSeconds(5));
        if (!(claim instanceof PublishClaim.Granted granted)) {
            throw new IllegalStateException("rendition " + id + " of " + room + " is taken: " + claim);
        }
        MeasuredRendition rendition = new MeasuredRendition(hub, granted.slot());
        rendition.slot.publish(Frames.videoHeader(0));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            rendition.slot.publish(Frames.keyframe(rendition.timestamp += 40, 2_000));
            return hub.snapshot().ingest() != null && hub.snapshot().ingest().videoKbps() > 0;
        });
        return rendition;
    }

    /** The rendition's hub. */
    public LiveStream hub() {
        return hub;
    }

    @Override
    public void close() {
        slot.close();
    }
}
