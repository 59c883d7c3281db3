package fluxrelay.program;

import static fluxrelay.testing.Frames.audio;
import static fluxrelay.testing.Frames.audioHeader;
import static fluxrelay.testing.Frames.interframe;
import static fluxrelay.testing.Frames.keyframe;
import static fluxrelay.testing.Frames.metadata;
import static fluxrelay.testing.Frames.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.ProgramSettings;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.FeedTap;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.StreamSubscriber;
import io.netty.buffer.Unpooled;
import fluxrelay.testing.LivePublisher;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The program switch over real hubs, with synthetic frames and a clock the test moves. */
class ProgramSwitchTest {

    private static final long MS = 1_000_000L;
    private static final ProgramPolicy POLICY = new ProgramPolicy(Duration.ofMillis(1500), Duration.ofSeconds(10), true);

    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 200));
    private Room room = new Room("r", "R", "live",
            List.of(new Feed("main", "key-main"), new Feed("slides", "key-slides"), new Feed("backup", "key-backup", Feed.ROLE_BACKUP)),
            true);
    private final List<MediaFrame> published = new ArrayList<>();
    private final List<Switched> switches = new ArrayList<>();
    private final List<String> differing = new ArrayList<>();
    private final long[] now = {1_000 * MS};
    private final Viewer viewer = new Viewer();
    private ProgramSwitch program = programWith(POLICY);

    private ProgramSwitch programWith(ProgramPolicy policy) {
        ProgramListener listener = new ProgramListener() {
            @Override
            public void switched(String roomId, Switched switched) {
                switches.add(switched);
            }

            @Override
            public void parametersDiffer(String roomId, String inputId, String mainInputId, List<String> tracks) {
                differing.add(inputId + ":" + tracks);
            }
        };
        return new ProgramSwitch("r", streams, () -> Optional.of(room), policy, listener, Runnable::run, Clock.systemUTC(),
                () -> now[0]);
    }

    @AfterEach
    void everyFrameIsReleased() {
        program.close();
        streams.close();
        for (MediaFrame frame : published) {
            assertEquals(0, frame.refCnt(), "a frame was leaked: " + frame);
        }
    }

    /** Claims an input hub, tapped by the program, and publishes its opening (metadata and headers). */
    private PublisherSlot input(String id, int headerSize) {
        LiveStream hub = streams.stream(new FeedId("r", id), true);
        hub.tap(program);
        PublisherSlot slot = assertInstanceOf(PublishClaim.Granted.class, hub.claim(new TestPublisher(), Duration.ofSeconds(3))).slot();
        publish(slot, metadata(0));
        publish(slot, new VideoFrame(0, VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, true, 0, 5,
                Unpooled.buffer(headerSize).writeZero(headerSize)));
        publish(slot, audioHeader(0));
        return slot;
    }

    private void publish(PublisherSlot slot, MediaFrame frame) {
        published.add(frame);
        slot.publish(frame);
    }

    /** A keyframe of {@code size} bytes: the size tells the viewer which input it came from. */
    private void key(PublisherSlot slot, long ts, int size) {
        publish(slot, keyframe(ts, size));
    }

    private void inter(PublisherSlot slot, long ts, int size) {
        publish(slot, interframe(ts, size));
    }

    private void watch() {
        streams.stream("r", true).subscribe(viewer);
    }

    @Test
    void theFirstInputGoesOnAirAtItsFirstKeyframe() {
        watch();
        PublisherSlot main = input("main", 8);
        inter(main, 10, 101);
        assertTrue(viewer.sizes.isEmpty(), "nothing before the first keyframe");
        key(main, 20, 100);
        inter(main, 53, 101);
        assertEquals("main", program.onAir());
        assertEquals(List.of("meta", "vh", "ah", "key", "inter"), viewer.kinds);
        assertTrue(switches.isEmpty(), "going on air is no switch");
        assertFalse(streams.stream("r", true).snapshot().subscribers() == 0);
        assertEquals(0, streams.find(new FeedId("r", "main")).orElseThrow().snapshot().subscribers(),
                "the program's tap is no viewer of the input");
    }

    @Test
    void anotherTracksHeaderSentBeforeTheInputWentOnAirGoesOnAirWithIt() {
        List<String> tracks = new ArrayList<>();
        streams.stream("r", true).tap(new FeedTap() {
            @Override
            public void onPublishStart(FeedId feed) {
            }

            @Override
            public void onFrame(FeedId feed, MediaFrame frame) {
            }

            @Override
            public void onTrackFrame(FeedId feed, MediaFrame frame) {
                tracks.add(frame instanceof VideoFrame v ? (v.isSequenceHeader() ? "vh" : "v") + v.track() : "a");
            }

            @Override
            public void onPublishStop(FeedId feed) {
            }
        });
        PublisherSlot main = input("main", 8);
        // A multitrack encoder sends its second track's header once, before the program takes the input at a keyframe.
        publish(main, videoHeader(0).withTrack(1));
        assertTrue(tracks.isEmpty(), "not on air yet");
        key(main, 20, 100);
        publish(main, keyframe(20, 50).withTrack(1));
        assertEquals("main", program.onAir());
        assertEquals(List.of("vh1", "v1"), tracks, "the rendition's header reaches the program before its frames");
    }

    @Test
    void aTapAddedMidPublishGetsTheInputsHeadersAndGoesOnAirAtOnce() {
        watch();
        LiveStream hub = streams.stream(new FeedId("r", "main"), true);
        PublisherSlot main = assertInstanceOf(PublishClaim.Granted.class, hub.claim(new TestPublisher(), Duration.ofSeconds(3))).slot();
        publish(main, metadata(0));
        publish(main, videoHeader(0));
        publish(main, audioHeader(0));
        key(main, 0, 100);
        hub.tap(program);
        assertEquals("main", program.onAir(), "the cached keyframe is its switch point");
        inter(main, 33, 101);
        assertEquals(List.of("meta", "vh", "ah", "key", "inter"), viewer.kinds);
    }

    @Test
    void aManualSwitchTakesEffectAtTheTargetsNextKeyframeWithItsHeadersFirst() {
        watch();
        PublisherSlot main = input("main", 8);
        key(main, 0, 100);
        PublisherSlot slides = input("slides", 8);
        key(slides, 5, 200);
        CompletableFuture<Switched> done = program.switchTo("slides");
        assertFalse(done.isDone(), "waits for the next keyframe, not the cached one");
        inter(slides, 40, 201);
        inter(main, 33, 101);
        assertFalse(done.isDone());
        int before = viewer.kinds.size();
        key(slides, 80, 200);
        inter(main, 66, 101);
        inter(slides, 120, 201);
        Switched switched = done.getNow(null);
        assertEquals("slides", switched.input());
        assertEquals("main", switched.from());
        assertEquals(SwitchReason.MANUAL, switched.reason());
        assertFalse(switched.parametersChanged(), "same headers");
        assertEquals(List.of("switch:false", "meta", "vh", "ah", "key", "inter"), viewer.kinds.subList(before, viewer.kinds.size()));
        assertEquals(List.of(100, 101, 200, 201), viewer.sizes, "main's frames stop at the switch, slides' interframe before its keyframe never shows");
        viewer.assertMonotonic();
        assertEquals(List.of(switched), switches);
    }

    @Test
    void changedCodecParametersAreFlaggedToSubscribersAndWarned() {
        watch();
        PublisherSlot main = input("main", 8);
        key(main, 0, 100);
        PublisherSlot slides = input("slides", 9);
        assertEquals(List.of("slides:[video]"), differing);
        program.switchTo("slides");
        key(slides, 40, 200);
        assertTrue(viewer.kinds.contains("switch:true"));
        assertTrue(switches.get(0).parametersChanged());
    }

    @Test
    void aMismatchIsToldOncePerChangeAndEndsWhenTheInputStops() {
        PublisherSlot main = input("main", 8);
        PublisherSlot slides = input("slides", 9);
        publish(slides, new VideoFrame(40, VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, true, 0, 5,
                Unpooled.buffer(9).writeZero(9)));
        key(slides, 40, 200);
        assertEquals(List.of("slides:[video]"), differing, "the same headers again are no change");
        assertEquals(List.of("video"), program.status().inputs().get(1).differingTracks());

        main.close();
        main = input("main", 8);
        assertEquals(List.of("slides:[video]"), differing, "the main encoder reconnecting with its settings changes nothing");
        main.close();
        main = input("main", 9);
        assertEquals(List.of("slides:[video]", "slides:[]"), differing, "the main encoder now sends the same as slides");
        assertFalse(program.status().inputs().get(1).parametersDifferFromMain());

        PublisherSlot backup = input("backup", 8);
        assertEquals("backup:[video]", differing.get(2));
        backup.close();
        assertEquals(List.of("slides:[video]", "slides:[]", "backup:[video]", "backup:[]"), differing,
                "an input that stopped no longer differs");
        main.close();
        slides.close();
    }

    @Test
    void failoverGoesToTheBackupAfterTheGapAtItsNextKeyframe() {
        watch();
        PublisherSlot main = input("main", 8);
        PublisherSlot slides = input("slides", 8);
        PublisherSlot backup = input("backup", 8);
        key(main, 0, 100);
        now[0] += 1000 * MS;
        key(slides, 1000, 200);
        key(backup, 1000, 300);
        program.tick();
        assertEquals("main", program.onAir(), "1 s of silence is within failover-after");
        now[0] += 600 * MS;
        key(slides, 1600, 200);
        inter(backup, 1600, 301);
        program.tick();
        assertEquals("backup", program.status().pending(), "the backup role comes before other inputs");
        key(backup, 1700, 300);
        assertEquals("backup", program.onAir());
        assertEquals(SwitchReason.FAILOVER, switches.get(0).reason());
        assertFalse(switches.get(0).parametersChanged(), "the same headers as the program carried");
        assertEquals(List.of(100, 300), viewer.sizes);
        viewer.assertMonotonic();
    }

    @Test
    void aDisconnectFailsOverAtOnceAndTheLastInputLeavingEndsTheProgram() {
        watch();
        PublisherSlot main = input("main", 8);
        key(main, 0, 100);
        PublisherSlot backup = input("backup", 8);
        main.close();
        assertEquals("backup", program.status().pending());
        key(backup, 20, 300);
        assertEquals("backup", program.onAir());
        assertFalse(switches.get(0).parametersChanged(), "compared with what the program carried, not the input that left");
        assertEquals(0, viewer.stops, "viewers stay through a failover");
        backup.close();
        assertNull(program.onAir());
        assertEquals(1, viewer.stops, "no input left: the program ends as a publish does");
        assertFalse(streams.stream("r", true).snapshot().publishing());
    }

    @Test
    void failbackAfterTheMainInputWasHealthyForFailbackAfter() {
        watch();
        PublisherSlot main = input("main", 8);
        key(main, 0, 100);
        PublisherSlot backup = input("backup", 8);
        main.close();
        key(backup, 20, 300);
        main = input("main", 8);
        for (int i = 1; i <= 9; i++) {
            now[0] += 1000 * MS;
            key(main, i * 1000L, 100);
            inter(backup, 20 + i * 1000L, 301);
            program.tick();
            assertEquals("backup", program.onAir(), "main healthy for " + i + " s only");
        }
        now[0] += 1000 * MS;
        inter(main, 10_000, 101);
        program.tick();
        assertEquals("main", program.status().pending());
        inter(backup, 10_020, 301);
        key(main, 10_033, 100);
        assertEquals("main", program.onAir());
        assertEquals(List.of(SwitchReason.FAILOVER, SwitchReason.FAILBACK), switches.stream().map(Switched::reason).toList());
        viewer.assertMonotonic();
    }

    @Test
    void theMainInputComingJustAfterABackupTakesTheStartAtItsNextKeyframe() {
        watch();
        PublisherSlot backup = input("backup", 8);
        key(backup, 0, 300);
        assertEquals("backup", program.onAir(), "the first input live goes on air");
        now[0] += 500 * MS;
        PublisherSlot main = input("main", 8);
        inter(main, 480, 101);
        program.tick();
        assertEquals("main", program.status().pending(), "main came within failover-after: it takes the start");
        key(main, 520, 100);
        assertEquals("main", program.onAir());
        assertTrue(switches.isEmpty(), "still the start: no program_changed event " + switches);
        viewer.assertMonotonic();
    }

    @Test
    void aMainInputComingLongAfterTheStartWaitsForFailback() {
        PublisherSlot backup = input("backup", 8);
        key(backup, 0, 300);
        for (int i = 1; i <= 5; i++) {
            now[0] += 1000 * MS;
            inter(backup, i * 1000L, 301);
            program.tick();
        }
        PublisherSlot main = input("main", 8);
        key(main, 5000, 100);
        inter(backup, 5020, 301);
        program.tick();
        assertEquals("backup", program.onAir(), "5 s after the start, main waits for failback-after");
        assertEquals(null, program.status().pending());
    }

    @Test
    void aManualChoicePinsTheProgramUntilMainIsChosen() {
        PublisherSlot main = input("main", 8);
        key(main, 0, 100);
        PublisherSlot slides = input("slides", 8);
        program.switchTo("slides");
        key(slides, 10, 200);
        assertTrue(program.status().pinned());
        for (int i = 1; i <= 12; i++) {
            now[0] += 1000 * MS;
            key(main, i * 1000L, 100);
            key(slides, i * 1000L, 200);
            program.tick();
        }
        assertEquals("slides", program.onAir(), "no failback while pinned");
        CompletableFuture<Switched> back = program.switchTo("main");
        assertFalse(program.status().pinned());
        key(main, 13_000, 100);
        assertEquals("main", back.getNow(null).input());
    }

    @Test
    void withManualFailbackTheProgramStaysOnTheBackup() {
        program = programWith(new ProgramPolicy(Duration.ofMillis(1500), Duration.ofSeconds(1), false));
        PublisherSlot main = input("main", 8);
        key(main, 0, 100);
        PublisherSlot backup = input("backup", 8);
        main.close();
        key(backup, 10, 300);
        main = input("main", 8);
        for (int i = 1; i <= 5; i++) {
            now[0] += 1000 * MS;
            key(main, i * 1000L, 100);
            key(backup, i * 1000L, 300);
            program.tick();
        }
        assertEquals("backup", program.onAir());
    }

    @Test
    void aRoomsOwnFailoverAfterIsHonouredAndAChangeAppliesAtTheNextTick() {
        room = room.withProgram(new ProgramSettings(Duration.ofSeconds(4), null, null));
        program.tick();
        assertEquals(new ProgramPolicy(Duration.ofSeconds(4), Duration.ofSeconds(10), true), program.policy(),
                "the room's failover-after over the server's other settings");
        watch();
        PublisherSlot main = input("main", 8);
        PublisherSlot backup = input("backup", 8);
        key(main, 0, 100);
        for (int i = 1; i <= 3; i++) {
            now[0] += 1000 * MS;
            key(backup, i * 1000L, 300);
            program.tick();
            assertEquals("main", program.onAir(), i + " s of silence: past the server's 1.5 s, within the room's 4 s");
            assertNull(program.status().pending());
        }
        now[0] += 1100 * MS;
        inter(backup, 4100, 301);
        program.tick();
        assertEquals("backup", program.status().pending(), "4.1 s of silence: past the room's failover-after");
        key(backup, 4200, 300);
        assertEquals(SwitchReason.FAILOVER, switches.get(0).reason());

        room = room.withProgram(new ProgramSettings(null, Duration.ofSeconds(2), null));
        now[0] += 100 * MS;
        key(main, 4300, 100);
        inter(backup, 4300, 301);
        program.tick();
        assertEquals(Duration.ofMillis(1500), program.policy().failoverAfter(), "a setting the room dropped follows the server's");
        for (int i = 1; i <= 2; i++) {
            now[0] += 1000 * MS;
            key(main, 4300 + i * 1000L, 100);
            inter(backup, 4300 + i * 1000L, 301);
            program.tick();
        }
        assertEquals("main", program.status().pending(), "failback after the room's own 2 s, not the server's 10 s");
        viewer.assertMonotonic();
    }

    @Test
    void aSwitchToAnInputNotLiveOrUnknownIsRefused() {
        PublisherSlot main = input("main", 8);
        key(main, 0, 100);
        assertEquals(ProgramException.Kind.NOT_LIVE, assertThrows(ProgramException.class, () -> program.switchTo("slides")).kind());
        assertEquals(ProgramException.Kind.UNKNOWN_INPUT, assertThrows(ProgramException.class, () -> program.switchTo("nope")).kind());
        CompletableFuture<Switched> same = program.switchTo("main");
        assertTrue(same.isDone(), "the input on air: done at once");
    }

    @Test
    void aPendingManualSwitchFailsWhenItsInputLeaves() {
        PublisherSlot main = input("main", 8);
        key(main, 0, 100);
        PublisherSlot slides = input("slides", 8);
        CompletableFuture<Switched> done = program.switchTo("slides");
        slides.close();
        assertTrue(done.isCompletedExceptionally());
        assertEquals("main", program.onAir());
    }

    /** A viewer of the program: frame kinds, coded frame sizes (which input), timestamps and switch notices. */
    private static final class Viewer implements StreamSubscriber {
        final List<String> kinds = new ArrayList<>();
        final List<Integer> sizes = new ArrayList<>();
        final List<Long> timestamps = new ArrayList<>();
        int stops;

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void onStreamStart(StreamStart start) {
        }

        @Override
        public void onFrame(MediaFrame frame) {
            if (frame instanceof VideoFrame v) {
                kinds.add(v.isSequenceHeader() ? "vh" : v.isRandomAccessPoint() ? "key" : "inter");
                if (!v.isSequenceHeader()) {
                    sizes.add(v.size());
                }
            } else if (frame instanceof AudioFrame a) {
                kinds.add(a.sequenceHeader() ? "ah" : "audio");
            } else {
                kinds.add("meta");
            }
            timestamps.add(frame.timestamp());
            frame.release();
        }

        @Override
        public void onSourceSwitch(boolean parametersChanged) {
            kinds.add("switch:" + parametersChanged);
        }

        @Override
        public void onStreamStop(StreamStop reason) {
            stops++;
        }

        @Override
        public void onClosed(String reason) {
        }

        void assertMonotonic() {
            for (int i = 1; i < timestamps.size(); i++) {
                assertTrue(timestamps.get(i) >= timestamps.get(i - 1), "timestamps went back: " + timestamps);
            }
        }
    }

    /** Connected until evicted. */
    private static final class TestPublisher extends LivePublisher {
        volatile boolean connected = true;

        TestPublisher() {
            super(new InetSocketAddress("127.0.0.1", 40000));
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public void evict(String reason) {
            connected = false;
        }
    }
}
