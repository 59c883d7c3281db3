package fluxrelay.ladder;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.media.codec.AvcDecoderConfigTest;
import fluxrelay.media.codec.Hex;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.Frames;
import fluxrelay.testing.LivePublisher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor's decisions, with a stand-in for ffmpeg (a shell script that waits, or fails when told): which rungs
 * run for the program's height, a new process when the height changes, rooms waiting for {@code max-processes}, the
 * ladder off while the encoder sends its own renditions, restarts after failures, and a changed ladder. The real
 * ffmpeg making real renditions is {@code e2e.LadderEndToEndTest}'s.
 */
class LadderSupervisorTest {

    private static final Rung R360 = new Rung("360p", 360, 600, 64);
    private static final Rung R720 = new Rung("720p", 720, 2500, 128);

    @TempDir
    Path dir;
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(8 << 20, 1000));
    private final Map<String, List<Rung>> ladders = new ConcurrentHashMap<>();
    private final Map<String, List<String>> renditionInputs = new ConcurrentHashMap<>();
    private final List<PublisherSlot> slots = new ArrayList<>();
    private LadderSupervisor supervisor;

    @BeforeEach
    void stub() throws IOException {
        Path ffmpeg = dir.resolve("ffmpeg");
        // Fails with a message while the file "fail" exists beside it; else waits as a running encoder would.
        Files.writeString(ffmpeg, "#!/bin/sh\nif [ -e \"$(dirname \"$0\")/fail\" ]; then echo 'Conversion failed: no encoder'; "
                + "exit 1; fi\nexec sleep 300\n");
        Files.setPosixFilePermissions(ffmpeg, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void start(int maxProcesses) {
        InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("a", null, "live", "a-key-0123456789", true),
                new Room("b", null, "live", "b-key-0123456789", true)));
        supervisor = new LadderSupervisor(new LadderSupervisor.Settings(dir.resolve("ffmpeg").toString(), "veryfast", maxProcesses,
                Duration.ofMillis(200), Duration.ofSeconds(2), "127.0.0.1", () -> 1935),
                room -> ladders.getOrDefault(room, List.of()), rooms, streams,
                room -> renditionInputs.getOrDefault(room, List.of()), new LadderSignature(Clock.systemUTC()));
        streams.onProgramCreated(supervisor::attach);
        streams.onRenditionCreated(supervisor::attachRendition);
    }

    @AfterEach
    void stop() {
        slots.forEach(PublisherSlot::close);
        List<Long> pids = supervisor.snapshots().stream().map(LadderSnapshot::pid).filter(p -> p != 0).toList();
        supervisor.close();
        // Every stand-in the supervisor started is gone once it closed.
        await().atMost(Duration.ofSeconds(10)).until(() -> pids.stream().noneMatch(p -> ProcessHandle.of(p).map(
                ProcessHandle::isAlive).orElse(false)));
        streams.close();
    }

    /** Starts a publish in {@code room} whose picture is {@code avcc}'s (a real avcC: the supervisor reads its height). */
    private PublisherSlot publish(String room, String avcc) {
        LiveStream program = streams.stream(room, true);
        PublishClaim claim = program.claim(new LivePublisher(new InetSocketAddress("127.0.0.1", 1)), Duration.ofSeconds(5));
        PublisherSlot slot = ((PublishClaim.Granted) claim).slot();
        slots.add(slot);
        slot.publish(header(0, avcc));
        slot.publish(Frames.keyframe(0, 100));
        return slot;
    }

    private static VideoFrame header(long ts, String avcc) {
        return new VideoFrame(ts, VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, true, 0, 5, Hex.buf("17 00 000000" + avcc));
    }

    private LadderSnapshot awaitState(String room, String state) {
        return await().atMost(Duration.ofSeconds(15)).until(() -> supervisor.snapshot(room).orElseThrow(),
                s -> s.state().equals(state));
    }

    @Test
    void runsTheRungsBelowTheProgramAndStartsAgainWhenItsPictureChanges() {
        ladders.put("a", List.of(R360, R720));
        start(4);
        PublisherSlot slot = publish("a", AvcDecoderConfigTest.AVCC_720P);
        LadderSnapshot first = awaitState("a", "running");
        assertEquals(List.of("360p"), first.rungs());
        assertEquals(1, first.skipped().size(), first.toString());
        assertTrue(first.skipped().get(0).startsWith("720p"), first.toString());
        assertTrue(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false));

        // The encoder now sends 1080p: the 720p rung is below it, so a process making both replaces the first.
        slot.publish(header(1000, AvcDecoderConfigTest.AVCC_1080P));
        LadderSnapshot second = await().atMost(Duration.ofSeconds(15)).until(() -> supervisor.snapshot("a").orElseThrow(),
                s -> s.state().equals("running") && s.rungs().size() == 2);
        assertEquals(List.of("360p", "720p"), second.rungs());
        assertNotEquals(first.pid(), second.pid());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(first.pid()).map(p -> !p.isAlive()).orElse(true));

        slot.close();
        LadderSnapshot ended = awaitState("a", "idle");
        assertEquals(0, ended.pid());
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(second.pid()).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void aRoomBeyondMaxProcessesWaitsAndStartsWhenASlotFrees() {
        ladders.put("a", List.of(R360));
        ladders.put("b", List.of(R360));
        start(1);
        PublisherSlot a = publish("a", AvcDecoderConfigTest.AVCC_720P);
        awaitState("a", "running");
        publish("b", AvcDecoderConfigTest.AVCC_720P);
        awaitState("b", "waiting");
        assertEquals(1, supervisor.running());

        a.close();
        awaitState("b", "running");
        assertEquals("idle", supervisor.snapshot("a").orElseThrow().state());
        assertEquals(1, supervisor.running());
    }

    @Test
    void noLadderWhileTheEncoderSendsItsOwnRenditions() {
        ladders.put("a", List.of(R360));
        renditionInputs.put("a", List.of("low"));
        start(4);
        // A multitrack encoder: a second video track, right after the first header.
        PublisherSlot slot = publish("a", AvcDecoderConfigTest.AVCC_720P);
        slot.publish(header(0, AvcDecoderConfigTest.AVCC_720P).withTrack(1));
        await().during(Duration.ofMillis(LadderSupervisor.START_DELAY.toMillis() + 500)).atMost(Duration.ofSeconds(10))
                .until(() -> supervisor.snapshot("a").orElseThrow().state().equals("idle"));
        slot.close();
        awaitState("a", "idle");

        // A single-track encoder: the ladder runs, until the room's rendition stream name "low" publishes; on again once
        // that encoder stops.
        publish("a", AvcDecoderConfigTest.AVCC_720P);
        awaitState("a", "running");
        LiveStream low = streams.stream(FeedId.rendition("a", "low"), true);
        PublisherSlot lowSlot = ((PublishClaim.Granted) low.claim(new LivePublisher(new InetSocketAddress("127.0.0.1", 2)),
                Duration.ofSeconds(5))).slot();
        awaitState("a", "idle");
        lowSlot.close();
        awaitState("a", "running");
    }

    @Test
    void aFailingProcessIsRestartedWithItsLastLinesAsTheError() throws IOException {
        ladders.put("a", List.of(R360));
        Files.writeString(dir.resolve("fail"), "");
        start(4);
        publish("a", AvcDecoderConfigTest.AVCC_720P);
        LadderSnapshot failing = await().atMost(Duration.ofSeconds(20)).until(() -> supervisor.snapshot("a").orElseThrow(),
                s -> s.restarts() >= 2);
        assertTrue(failing.lastError().contains("Conversion failed: no encoder"), failing.toString());
        Files.delete(dir.resolve("fail"));
        LadderSnapshot running = awaitState("a", "running");
        assertTrue(running.pid() != 0 && ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aChangedLadderRunsItsNewRungsAndNoneStopsIt() {
        ladders.put("a", List.of(R360));
        start(4);
        publish("a", AvcDecoderConfigTest.AVCC_1080P);
        LadderSnapshot first = awaitState("a", "running");
        assertEquals(List.of("360p"), first.rungs());

        ladders.put("a", List.of(R360, R720));
        supervisor.changed("a");
        LadderSnapshot changed = await().atMost(Duration.ofSeconds(15)).until(() -> supervisor.snapshot("a").orElseThrow(),
                s -> s.state().equals("running") && s.rungs().equals(List.of("360p", "720p")));
        assertNotEquals(first.pid(), changed.pid());

        // No ladder any more: the process ends and the room has no ladder to show.
        ladders.remove("a");
        supervisor.changed("a");
        await().atMost(Duration.ofSeconds(10)).until(() -> supervisor.running() == 0
                && ProcessHandle.of(changed.pid()).map(p -> !p.isAlive()).orElse(true));
        assertTrue(supervisor.snapshot("a").isEmpty());
    }
}
