package fluxrelay.hls;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HlsPackager#renditions}, asked at every playlist answer: a room's live quality renditions, never another
 * room's, one detached gone and one attached again back.
 */
class HlsPackagerRenditionsTest {

    private static final PackagerSettings SETTINGS = new PackagerSettings(Duration.ofSeconds(1), 4, 1 << 20, 1, true,
            Duration.ofMillis(333));

    private final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true);
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(8 << 20, 2000));
    private final HlsPackager packager = new HlsPackager(SETTINGS, null, allocator, HlsContinuity.NONE);
    private final Map<FeedId, PublisherSlot> slots = new LinkedHashMap<>();

    @AfterEach
    void close() throws Exception {
        slots.values().forEach(PublisherSlot::close);
        packager.close();
        streams.close();
    }

    /**
     * Attaches {@code feed} and keeps a publisher on it (the same one when attached again), sending the sample clip
     * (then silent, still live).
     */
    private void live(FeedId feed) {
        LiveStream hub = streams.stream(feed, true);
        packager.attach(hub);
        ClipPublisher.send(slots.computeIfAbsent(feed, f -> ClipPublisher.claim(hub)), SampleMedia.AV_720P);
    }

    @Test
    void aRoomsRenditionsAreItsOwnAndFollowAttachAndDetach() {
        live(FeedId.program("a"));
        live(FeedId.rendition("a", "360p"));
        live(FeedId.rendition("a", "180p"));
        live(FeedId.program("b"));
        live(FeedId.rendition("b", "360p"));
        await().atMost(Duration.ofSeconds(10)).until(() -> packager.renditions("a").size() == 2
                && packager.renditions("b").size() == 1);
        assertEquals(List.of("180p", "360p"), List.copyOf(packager.renditions("a").keySet()), "sorted by id");
        assertEquals(Set.of("360p"), packager.renditions("b").keySet());
        assertEquals(0, packager.renditions("c").size(), "a room without renditions");

        packager.detach(FeedId.rendition("a", "360p"));
        assertEquals(Set.of("180p"), packager.renditions("a").keySet());
        assertEquals(Set.of("360p"), packager.renditions("b").keySet(), "the other room's 360p stays");

        live(FeedId.rendition("a", "360p"));
        await().atMost(Duration.ofSeconds(10)).until(() -> packager.renditions("a").size() == 2);
        packager.detach(FeedId.rendition("a", "360p"));
        packager.detach(FeedId.rendition("a", "180p"));
        assertEquals(0, packager.renditions("a").size());
    }
}
