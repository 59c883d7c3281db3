package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import fluxrelay.media.MediaFrame;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.testing.LivePublisher;
import fluxrelay.testing.SampleMedia;
import java.net.InetSocketAddress;
import java.time.Duration;

/** An encoder in a test: claims a hub and sends a sample clip's real frames into it, as fast as it can. */
final class ClipPublisher extends LivePublisher {

    ClipPublisher() {
        super(new InetSocketAddress("127.0.0.1", 40000));
    }

    /** Takes the hub's publisher slot (the hub must be free). */
    static PublisherSlot claim(LiveStream stream) {
        return assertInstanceOf(PublishClaim.Granted.class, stream.claim(new ClipPublisher(), Duration.ofSeconds(3))).slot();
    }

    /** Sends every frame of {@code clip}; the hub takes each over. */
    static void send(PublisherSlot slot, String clip) {
        for (MediaFrame frame : SampleMedia.frames(clip)) {
            slot.publish(frame);
        }
    }

    /** One whole publish of {@code clip}: claim, every frame, unpublish. */
    static void publish(LiveStream stream, String clip) {
        PublisherSlot slot = claim(stream);
        send(slot, clip);
        slot.close();
    }
}
