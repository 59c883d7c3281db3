package fluxrelay.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.Measurement;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.stream.StreamSubscriber;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Viewer admission for every kind of viewer, one rule set: rooms, feeds, capacity, bandwidth policies. */
class PlaybackServiceTest {

    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(
            new Room("open", "Open", "live", "open-key-0123456789", true),
            new Room("warned", "Warned", "live", "warned-key-0123456789", true),
            new Room("strict", "Strict", "live", List.of(new Feed("cam-a", "a-key-0123456789"), new Feed("cam-b", "b-key-0123456789")),
                    true)));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 1000));
    private final BandwidthRegistry bandwidth = new BandwidthRegistry(
            new BandwidthSettings(BandwidthRequirement.ofMbps(3, BandwidthPolicy.OFF), false,
                    new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 4),
                    new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(5), 0),
                    Duration.ofMinutes(2), "bwtoken", 20),
            Map.of("warned", BandwidthRequirement.ofMbps(3, BandwidthPolicy.WARN),
                    "strict", BandwidthRequirement.ofMbps(3, BandwidthPolicy.ENFORCE)),
            ProbeTokens.randomSecret(), Clock.systemUTC());
    private final PlaybackService service = new PlaybackService(rooms, streams, bandwidth, null, 2);

    @AfterEach
    void close() {
        streams.close();
    }

    private String token(String room, double mbps) {
        return bandwidth.tokens().issue(room, Math.round(mbps * 1e6), MeasurementMethod.values()[0]);
    }

    @Test
    void anUnknownRoomOrFeedOrAppIsNotFound() {
        assertInstanceOf(PlayDecision.NotFound.class, service.admit(PlayRequest.of("live", "nope", ViewerKind.RTMP, null, "v")));
        assertInstanceOf(PlayDecision.NotFound.class, service.admit(PlayRequest.of("other", "open", ViewerKind.HTTP_FLV, null, "v")));
        assertInstanceOf(PlayDecision.NotFound.class,
                service.admit(new PlayRequest("live", "strict", "cam-z", ViewerKind.RTMP, null, "v", null, false)));
    }

    @Test
    void aSubscribingViewerOfTheRoomGetsItsProgramHubAndHlsGetsNone() {
        PlayDecision.Admitted rtmp = assertInstanceOf(PlayDecision.Admitted.class,
                service.admit(PlayRequest.of("live", "open", ViewerKind.RTMP, null, "v")));
        assertSame(streams.find(FeedId.program("open")).orElseThrow(), rtmp.stream());
        PlayDecision.Admitted hls = assertInstanceOf(PlayDecision.Admitted.class,
                service.admit(PlayRequest.of(null, "open", ViewerKind.HLS, null, "v")));
        assertNull(hls.stream());
    }

    @Test
    void aFullFeedRefusesSubscribersButNotHlsRequests() {
        var stream = streams.stream(FeedId.program("open"), true);
        stream.subscribe(new Idle());
        stream.subscribe(new Idle());
        assertInstanceOf(PlayDecision.Full.class, service.admit(PlayRequest.of("live", "open", ViewerKind.HTTP_FLV, null, "v")));
        assertInstanceOf(PlayDecision.Admitted.class, service.admit(PlayRequest.of(null, "open", ViewerKind.HLS, null, "v")));
    }

    @Test
    void enforceMeasuresRtmpViewersAndRefusesHttpViewersWithoutAToken() {
        assertInstanceOf(PlayDecision.Measure.class, service.admit(PlayRequest.of("live", "strict", ViewerKind.RTMP, null, "v")));
        PlayDecision.Refused refused = assertInstanceOf(PlayDecision.Refused.class,
                service.admit(PlayRequest.of("live", "strict", ViewerKind.HTTP_FLV, null, "v")));
        assertEquals(PlayDecision.Cause.UNMEASURED, refused.cause());
        assertEquals(3_000_000, refused.requiredBitsPerSecond());
        assertEquals(1, bandwidth.snapshot("strict").orElseThrow().refusedTotal());
    }

    @Test
    void enforceJudgesTokensAndDetectionsTheSameForEveryKind() {
        for (ViewerKind kind : ViewerKind.values()) {
            String app = kind == ViewerKind.HLS ? null : "live";
            PlayDecision.Refused slow = assertInstanceOf(PlayDecision.Refused.class,
                    service.admit(PlayRequest.of(app, "strict", kind, token("strict", 1.5), "v")), kind.label());
            assertEquals(PlayDecision.Cause.TOO_SLOW, slow.cause());
            PlayDecision.Admitted fast = assertInstanceOf(PlayDecision.Admitted.class,
                    service.admit(PlayRequest.of(app, "strict", kind, token("strict", 8), "v")), kind.label());
            assertNotNull(fast.claims());
            assertEquals("cam-a", fast.feed().id(), "the first input is the main feed");
        }
        Measurement detected = new Measurement(2_000_000L, 250_000L, 1_000_000_000L, 1000, MeasurementMethod.values()[0], true);
        assertInstanceOf(PlayDecision.Refused.class,
                service.admit(new PlayRequest("live", "strict", null, ViewerKind.RTMP, null, "v", detected, false)));
        assertInstanceOf(PlayDecision.Refused.class, service.admit(PlayRequest.of("live", "strict", ViewerKind.HTTP_FLV,
                token("open", 8), "v")), "a token of another room does not count");
    }

    @Test
    void warnPlaysBelowWithTheVerdictAndADetectionInProgressHoldsThePlay() {
        PlayDecision.Admitted below = assertInstanceOf(PlayDecision.Admitted.class,
                service.admit(PlayRequest.of("live", "warned", ViewerKind.HTTP_FLV, token("warned", 1), "v")));
        assertNotNull(below.warning());
        assertInstanceOf(PlayDecision.Measure.class,
                service.admit(new PlayRequest("live", "warned", null, ViewerKind.RTMP, null, "v", null, true)));
    }

    @Test
    void onAnEdgeTheOriginsRenditionsAreAdmittedPulledAndASlowViewerIsMovedDownToOne() {
        List<FeedId> demanded = new java.util.ArrayList<>();
        PlaybackService edge = new PlaybackService(rooms, streams, bandwidth, null, 2, demanded::add, InternalPlays.NONE);
        edge.bindRenditionsElsewhere(room -> room.equals("strict") ? Map.of("180p", 700_000L) : Map.of());
        assertEquals(List.of("180p"), edge.renditions("strict"));

        PlayDecision.Admitted asked = assertInstanceOf(PlayDecision.Admitted.class, edge.admit(PlayRequest.of("live", "strict",
                ViewerKind.HTTP_FLV, token("strict", 8), "v").withRendition("180p")));
        assertEquals(FeedId.rendition("strict", "180p"), asked.stream().feedId());
        assertEquals(List.of(FeedId.rendition("strict", "180p")), demanded, "the rendition is pulled");
        PlayDecision.NoSuchRendition unknown = assertInstanceOf(PlayDecision.NoSuchRendition.class, edge.admit(PlayRequest.of(
                "live", "strict", ViewerKind.HTTP_FLV, null, "v").withRendition("1080p")));
        assertEquals(List.of("180p"), unknown.available());

        // 1.5 Mbit/s is below the room's 3 but carries the origin's 700 kbit/s rendition (with its headroom).
        PlayDecision.Admitted moved = assertInstanceOf(PlayDecision.Admitted.class, edge.admit(PlayRequest.of("live", "strict",
                ViewerKind.HTTP_FLV, token("strict", 1.5), "v")));
        assertEquals("180p", moved.movedTo());
        assertEquals(FeedId.rendition("strict", "180p"), moved.stream().feedId());
        assertEquals(List.of(FeedId.rendition("strict", "180p"), FeedId.rendition("strict", "180p")), demanded,
                "the hub a moved viewer is given is pulled, not the program");
    }

    @Test
    void aViewerMovedDownIsToldTheFiguresAndWatchedAgainstItsRenditionsNeed() {
        fluxrelay.testing.MeasuredRendition rendition = fluxrelay.testing.MeasuredRendition.start(streams, "strict", "240p");
        fluxrelay.stream.LiveStream low = rendition.hub();
        long need = service.ladder("strict").rendition("240p").orElseThrow().bitsPerSecond();
        org.junit.jupiter.api.Assertions.assertTrue(need < 1_000_000, "need " + need);

        PlayDecision.Admitted moved = assertInstanceOf(PlayDecision.Admitted.class,
                service.admit(PlayRequest.of("live", "strict", ViewerKind.HTTP_FLV, token("strict", 1.6), "v")));
        assertEquals("240p", moved.movedTo());
        assertSame(low, moved.stream());
        assertEquals(new PlayDecision.MovedDown("240p", 1_600_000, 3_000_000, moved.moved().needBitsPerSecond()), moved.moved());
        assertEquals("Playing rendition 240p: measured 1.6 Mbit/s, the program needs 3.0 Mbit/s", moved.moved().description());
        fluxrelay.bandwidth.ViewerBandwidth watch = service.watch(moved, "v");
        assertEquals(moved.moved().needBitsPerSecond(), watch.requirement().bitsPerSecond(),
                "judged against the rendition's need, not the program's 3 Mbit/s");
        assertEquals(BandwidthPolicy.ENFORCE, watch.requirement().policy());
        watch.close();

        PlayDecision.Admitted asked = assertInstanceOf(PlayDecision.Admitted.class, service.admit(
                PlayRequest.of("live", "strict", ViewerKind.RTMP, token("strict", 8), "v").withRendition("240p")));
        assertNull(asked.moved(), "asked for, not moved down");
        fluxrelay.bandwidth.ViewerBandwidth askedWatch = service.watch(asked, "v");
        org.junit.jupiter.api.Assertions.assertTrue(askedWatch.requirement().bitsPerSecond() < 1_000_000);
        askedWatch.close();

        PlayDecision.Admitted program = assertInstanceOf(PlayDecision.Admitted.class,
                service.admit(PlayRequest.of("live", "strict", ViewerKind.RTMP, token("strict", 8), "v")));
        assertNull(program.moved());
        fluxrelay.bandwidth.ViewerBandwidth programWatch = service.watch(program, "v");
        assertEquals(3_000_000, programWatch.requirement().bitsPerSecond());
        programWatch.close();
        rendition.close();
    }

    /** A subscriber that ignores what it is sent. */
    private static final class Idle implements StreamSubscriber {
        @Override
        public java.util.concurrent.Executor executor() {
            return Runnable::run;
        }

        @Override
        public void onStreamStart(fluxrelay.stream.StreamStart start) {
        }

        @Override
        public void onFrame(fluxrelay.media.MediaFrame frame) {
            frame.release();
        }

        @Override
        public void onStreamStop(fluxrelay.stream.StreamStop reason) {
        }

        @Override
        public void onClosed(String reason) {
        }
    }
}
