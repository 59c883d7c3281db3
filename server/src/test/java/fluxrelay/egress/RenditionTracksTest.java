package fluxrelay.egress;

import static fluxrelay.testing.Frames.audio;
import static fluxrelay.testing.Frames.audioHeader;
import static fluxrelay.testing.Frames.interframe;
import static fluxrelay.testing.Frames.keyframe;
import static fluxrelay.testing.Frames.metadata;
import static fluxrelay.testing.Frames.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The renditions a multitrack viewer receives beside the program ({@link RenditionTracks}), against real rendition hubs:
 * numbering, the start at a keyframe on the viewer's timeline with the sequence headers first, the restart after a
 * full queue, pause, and every reference released.
 */
class RenditionTracksTest {

    private final Map<String, LiveStream> hubs = new HashMap<>();
    private final Map<String, PublisherSlot> slots = new HashMap<>();
    private final List<MediaFrame> published = new ArrayList<>();
    private final FakeOwner owner = new FakeOwner();
    private final RenditionTracks tracks = new RenditionTracks(owner);

    @AfterEach
    void everythingIsReleased() {
        tracks.close();
        hubs.values().forEach(hub -> hub.close("test over"));
        for (MediaFrame frame : published) {
            assertEquals(0, frame.refCnt(), "leaked: " + frame);
        }
    }

    @Test
    void renditionsAreNumberedInTheOrderFirstSeenAndKeepTheirNumber() {
        tracks.follow(List.of("120p", "240p"), this::hub);
        tracks.follow(List.of("120p", "180p", "240p"), this::hub);
        assertEquals(Map.of("120p", 1, "240p", 2, "180p", 3), tracks.numbers());
        assertEquals(List.of("120p", "240p", "180p"), List.copyOf(tracks.numbers().keySet()));
    }

    @Test
    void aTrackStartsAtAKeyframeOnTheViewersTimelineWithItsHeadersFirst() {
        tracks.follow(List.of("120p"), this::hub);
        publish("120p", metadata(0), videoHeader(0), audioHeader(0), keyframe(0, 10), interframe(40, 10));
        assertEquals(List.of(), owner.written, "nothing before the program's first frame went out");

        owner.base = 1000;
        publish("120p", interframe(1040, 10), audio(1050, 4));
        assertEquals(List.of(), owner.written, "nothing before the track's keyframe");

        publish("120p", keyframe(2000, 10), audio(2010, 4), interframe(2040, 10));
        assertEquals(List.of("1 vh 1000", "1 ah 1000", "1 key 1000", "1 audio 1010", "1 inter 1040"), owner.written);
    }

    @Test
    void aFullQueueStopsTheTrackUntilItsNextKeyframe() {
        tracks.follow(List.of("120p"), this::hub);
        owner.base = 0;
        publish("120p", videoHeader(0), audioHeader(0), keyframe(0, 10));
        owner.written.clear();

        owner.writable = false;
        publish("120p", interframe(40, 10), audio(50, 4));
        owner.writable = true;
        publish("120p", interframe(80, 10), audio(90, 4));
        assertEquals(List.of(), owner.written, "dropped, then waiting for a keyframe");
        publish("120p", keyframe(1000, 10));
        assertEquals(List.of("1 vh 1000", "1 ah 1000", "1 key 1000"), owner.written, "headers again, then the keyframe");
    }

    @Test
    void aKeyframeBeforeTheViewersTimeZeroDoesNotStartTheTrack() {
        tracks.follow(List.of("120p"), this::hub);
        owner.base = 500;
        publish("120p", videoHeader(0), keyframe(0, 10), interframe(520, 10));
        assertEquals(List.of(), owner.written);
        publish("120p", keyframe(1000, 10), interframe(1040, 10));
        assertEquals(List.of("1 vh 500", "1 key 500", "1 inter 540"), owner.written);
    }

    @Test
    void twoRenditionsAreTwoTracks() {
        tracks.follow(List.of("120p", "240p"), this::hub);
        owner.base = 0;
        publish("240p", videoHeader(0), keyframe(0, 10));
        publish("120p", videoHeader(0), keyframe(0, 10));
        assertEquals(List.of("2 vh 0", "2 key 0", "1 vh 0", "1 key 0"), owner.written);
    }

    @Test
    void aPausedViewerGetsNothingAndStartsAgainAtTheCachedKeyframe() {
        tracks.follow(List.of("120p"), this::hub);
        owner.base = 0;
        publish("120p", videoHeader(0), keyframe(0, 10));
        tracks.pause(true);
        publish("120p", interframe(40, 10), keyframe(1000, 10));
        owner.written.clear();
        tracks.pause(false);
        assertEquals(List.of("1 vh 1000", "1 key 1000"), owner.written, "the hub's start frames: header and GOP");
    }

    private LiveStream hub(String id) {
        return hubs.computeIfAbsent(id, rendition -> {
            LiveStream hub = new LiveStream(FeedId.rendition("room", rendition), true, new StreamLimits(1 << 20, 100));
            PublishClaim claim = hub.claim(new fluxrelay.testing.LivePublisher(new InetSocketAddress("127.0.0.1", 1)), Duration.ofSeconds(3));
            slots.put(rendition, assertInstanceOf(PublishClaim.Granted.class, claim).slot());
            return hub;
        });
    }

    private void publish(String rendition, MediaFrame... frames) {
        hub(rendition);
        for (MediaFrame frame : frames) {
            published.add(frame);
            slots.get(rendition).publish(frame);
        }
    }

    /** Runs everything at once and notes what it was given as "track kind timestamp", releasing it. */
    private static final class FakeOwner implements RenditionTracks.Owner {
        final List<String> written = new ArrayList<>();
        long base = -1;
        boolean writable = true;

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public long timelineBase() {
            return base;
        }

        @Override
        public boolean writable() {
            return writable;
        }

        @Override
        public void writeTrack(int track, MediaFrame frame) {
            String kind = frame instanceof VideoFrame video ? (video.isSequenceHeader() ? "vh" : video.keyframe() ? "key" : "inter")
                    : ((AudioFrame) frame).sequenceHeader() ? "ah" : "audio";
            written.add(track + " " + kind + " " + frame.timestamp());
            frame.release();
        }
    }
}
