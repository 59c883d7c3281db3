package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.flv.FlvReader;
import fluxrelay.flv.FlvTag;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.LivePublisher;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder on a real hub fed with a sample clip's frames: sessions spanning reconnects, the finalized file
 * read back by ffprobe and ffmpeg, the free-space floor and retention.
 */
class RecorderTest {

    private static final String CLIP = SampleMedia.AV_720P;

    @TempDir
    Path directory;

    private final Events events = new Events();
    private final AtomicLong free = new AtomicLong(Long.MAX_VALUE);
    private Recorder recorder;

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    private Recorder start(Duration grace, long maxTotalBytes) throws Exception {
        recorder = new Recorder(new RecordingSettings(directory, grace, Duration.ofSeconds(1), Duration.ZERO, maxTotalBytes,
                1_000_000, 1, Duration.ofMillis(100)), ByteBufAllocator.DEFAULT, events, Clock.systemUTC(),
                dir -> free.get());
        recorder.start();
        return recorder;
    }

    @Test
    void aReconnectWithinGraceKeepsOneFileWithEveryFrameAndNoGap() throws Exception {
        start(Duration.ofSeconds(2), 0);
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream);
        publish(stream);
        publish(stream); // the encoder is back at once: well within the grace period
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);

        Recording recording = events.ready.get(0);
        assertEquals(1, events.started.size(), "one session, one file");
        assertEquals(List.of(recording), recorder.list("room1"));
        assertEquals(RecordingState.READY, recording.state());
        assertEquals(2, recording.codecs().size(), recording.codecs().toString());
        Path file = recording.file();
        assertTrue(file.getFileName().toString().endsWith(".mp4"), file.toString());
        assertFalse(Files.exists(directory.resolve(recording.id() + ".fmp4")), "the fragment file is removed");
        assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(file), "fast start: the index before the media");
        assertEquals("", Mp4Probe.decodeErrors(file));
        assertEquals(List.of("h264", "aac"), Mp4Probe.codecs(file));
        assertEquals(2 * clipVideoFrames(), Mp4Probe.videoFrames(file), "every published video frame");
        double published = 2 * clipVideoSeconds();
        assertEquals(published, Mp4Probe.duration(file), 0.1, "the clip twice, the outage left out: "
                + Mp4Probe.streams(file));
        assertEquals(published, recording.durationSeconds(), 0.1);
        assertEquals(Files.size(file), recording.size());
    }

    @Test
    void aPublisherGoneForTheGracePeriodEndsTheRecording() throws Exception {
        start(Duration.ofMillis(300), 0);
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream);
        publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 2);
        assertEquals(2, recorder.list("room1").size());
        for (Recording recording : events.ready) {
            assertEquals(clipVideoFrames(), Mp4Probe.videoFrames(recording.file()));
        }
        assertEquals(0, recorder.inProgress());
        assertTrue(recorder.bytesWritten() > 0);
    }

    @Test
    void belowTheFreeSpaceFloorNoRecordingStartsAndARunningOneEndsFinalized() throws Exception {
        start(Duration.ofSeconds(30), 0);
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream);
        PublisherSlot slot = claim(stream);
        List<MediaFrame> frames = SampleMedia.frames(CLIP);
        int half = frames.size() / 2;
        frames.subList(0, half).forEach(slot::publish);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.started.size() == 1);
        free.set(1000); // the disk fills up
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        assertTrue(recorder.lowSpace());
        assertEquals(1, recorder.lowSpaceStops());
        frames.subList(half, frames.size()).forEach(slot::publish); // live goes on; no new recording starts
        slot.close();
        assertEquals("", Mp4Probe.decodeErrors(events.ready.get(0).file()));
        assertEquals(1, events.started.size());
        assertEquals(1, recorder.list().size());
    }

    @Test
    void retentionDeletesTheOldestRecordingsOverTheTotalSize() throws Exception {
        start(Duration.ZERO, 1);
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream);
        publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        Recording first = events.ready.get(0);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.list().isEmpty());
        assertFalse(Files.exists(first.file()));
        assertFalse(Files.exists(directory.resolve(first.id() + ".properties")));
    }

    @Test
    void deleteRemovesAFinishedRecordingAndItsFiles() throws Exception {
        start(Duration.ZERO, 0);
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream);
        publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        Recording recording = events.ready.get(0);
        assertTrue(recorder.delete(recording.id()).get());
        assertFalse(recorder.delete(recording.id()).get());
        assertTrue(recorder.list().isEmpty());
        try (var files = Files.list(directory)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aCodecChangeWithinTheGracePeriodEndsTheFileAndStartsAnother(@TempDir Path work) throws Exception {
        Path small = work.resolve("small.flv");
        try (Ffmpeg.Run encode = Ffmpeg.startFfmpeg("-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:v", "libx264", "-g", "25",
                "-c:a", "aac", "-f", "flv", small.toString())) {
            assertEquals(0, encode.await(60), encode.output());
        }
        start(Duration.ofSeconds(5), 0);
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream);
        publish(stream);
        PublisherSlot slot = claim(stream); // the encoder comes back with other settings
        ByteBuf file = Unpooled.wrappedBuffer(Files.readAllBytes(small));
        try {
            FlvReader.readAll(file).stream().map(FlvTag::toFrame).forEach(slot::publish);
        } finally {
            file.release();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> events.ready.size() == 1 && events.started.size() == 2);
        slot.close();
        recorder.detach("room1");
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 2);
        assertEquals(clipVideoFrames(), Mp4Probe.videoFrames(events.ready.get(0).file()));
        assertEquals(50, Mp4Probe.videoFrames(events.ready.get(1).file()));
        assertEquals("", Mp4Probe.decodeErrors(events.ready.get(1).file()));
        assertTrue(Mp4Probe.streams(events.ready.get(1).file()).startsWith("h264"));
    }

    @Test
    void takingTheRoomOffTheAirEndsTheRecordingAtOnce() throws Exception {
        start(Duration.ofMinutes(5), 0);
        LiveStream stream = new LiveStream("room1", false, new StreamLimits(8 << 20, 2000));
        stream.setShown(true);
        recorder.attach(stream);
        PublisherSlot slot = claim(stream);
        SampleMedia.frames(CLIP).forEach(slot::publish);
        stream.setShown(false); // stop showing: the publisher stays on
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        assertEquals(clipVideoFrames(), Mp4Probe.videoFrames(events.ready.get(0).file()));
        slot.close();
    }

    @Test
    void fromThePublishARoomIsRecordedBeforeGoLiveAndThroughStopShowing() throws Exception {
        start(Duration.ofMillis(300), 0);
        LiveStream stream = new LiveStream("room1", false, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream, true);
        PublisherSlot slot = claim(stream);
        List<MediaFrame> frames = SampleMedia.frames(CLIP);
        int third = frames.size() / 3;
        frames.subList(0, third).forEach(slot::publish); // the warm-up: nobody sees it
        await().atMost(Duration.ofSeconds(10)).until(() -> events.started.size() == 1);
        stream.setShown(true); // GO LIVE
        frames.subList(third, 2 * third).forEach(slot::publish);
        stream.setShown(false); // off the air: the encoder goes on, so does the recording
        frames.subList(2 * third, frames.size()).forEach(slot::publish);
        slot.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        Path file = events.ready.get(0).file();
        assertEquals(1, events.started.size());
        assertEquals(clipVideoFrames(), Mp4Probe.videoFrames(file), "every frame, before GO LIVE and after stop showing");
        assertEquals("", Mp4Probe.decodeErrors(file));
    }

    @Test
    void fromGoLiveARoomNotShownIsNotRecordedUntilItIs() throws Exception {
        start(Duration.ofMillis(300), 0);
        LiveStream stream = new LiveStream("room1", false, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream, false);
        PublisherSlot slot = claim(stream);
        List<MediaFrame> frames = SampleMedia.frames(CLIP);
        int half = frames.size() / 2;
        frames.subList(0, half).forEach(slot::publish);
        stream.setShown(true);
        frames.subList(half, frames.size()).forEach(slot::publish);
        slot.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        int recorded = Mp4Probe.videoFrames(events.ready.get(0).file());
        assertTrue(recorded > 0 && recorded < clipVideoFrames(), "only what was on the air: " + recorded);
    }

    @Test
    void aChangedStartLeavesTheRunningSessionWholeAndAppliesToTheNext() throws Exception {
        start(Duration.ofMillis(300), 0);
        LiveStream stream = new LiveStream("room1", false, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream, false);
        stream.setShown(true);
        PublisherSlot slot = claim(stream);
        List<MediaFrame> frames = SampleMedia.frames(CLIP);
        int half = frames.size() / 2;
        frames.subList(0, half).forEach(slot::publish);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.started.size() == 1);
        recorder.attach(stream, true); // from the publish from now on: the session on the air goes on
        frames.subList(half, frames.size()).forEach(slot::publish);
        slot.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        assertEquals(1, events.started.size(), "not cut in two");
        assertEquals(clipVideoFrames(), Mp4Probe.videoFrames(events.ready.get(0).file()), "every frame in one file");

        stream.setShown(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.applied("room1")); // replaced on its thread
        publish(stream); // never on the air: recorded only because the start changed
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 2);
        assertEquals(clipVideoFrames(), Mp4Probe.videoFrames(events.ready.get(1).file()));

        recorder.attach(stream, false); // back to GO LIVE, as soon as the recorder is replaced: no session runs
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.applied("room1"));
        publish(stream);
        stream.setShown(true);
        publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 3);
        assertEquals(3, events.started.size(), "the publish off the air was not recorded: " + events.started);
    }

    /** One whole publish of the clip, as fast as the hub takes it. */
    static void publish(LiveStream stream) {
        PublisherSlot slot = claim(stream);
        SampleMedia.frames(CLIP).forEach(slot::publish);
        slot.close();
    }

    static PublisherSlot claim(LiveStream stream) {
        return assertInstanceOf(PublishClaim.Granted.class,
                stream.claim(new LivePublisher(new InetSocketAddress("127.0.0.1", 40000)), Duration.ofSeconds(3))).slot();
    }

    /** Video frames in the clip. */
    static int clipVideoFrames() {
        return (int) videoTimestamps().count();
    }

    /** From the first picture presented to the end of the last (a frame lasting as long as the one before it). */
    static double clipVideoSeconds() {
        List<MediaFrame> frames = SampleMedia.frames(CLIP);
        try {
            List<VideoFrame> video = frames.stream().filter(f -> f instanceof VideoFrame v && v.kind() == VideoPacketKind.CODED_FRAME)
                    .map(VideoFrame.class::cast).toList();
            long first = video.stream().mapToLong(v -> v.timestamp() + v.compositionTime()).min().orElseThrow();
            long last = video.stream().mapToLong(v -> v.timestamp() + v.compositionTime()).max().orElseThrow();
            long step = video.get(video.size() - 1).timestamp() - video.get(video.size() - 2).timestamp();
            return (last + step - first) / 1000.0;
        } finally {
            frames.forEach(MediaFrame::release);
        }
    }

    private static java.util.stream.Stream<Long> videoTimestamps() {
        List<MediaFrame> frames = SampleMedia.frames(CLIP);
        try {
            return frames.stream().filter(f -> f instanceof VideoFrame v && v.kind() == VideoPacketKind.CODED_FRAME)
                    .map(MediaFrame::timestamp).toList().stream();
        } finally {
            frames.forEach(MediaFrame::release);
        }
    }

    /** The recorder's announcements, in order. */
    static final class Events implements RecordingEvents {
        final List<Recording> started = new CopyOnWriteArrayList<>();
        final List<Recording> ready = new CopyOnWriteArrayList<>();
        final List<Recording> failed = new CopyOnWriteArrayList<>();
        final List<String> reasons = new CopyOnWriteArrayList<>();

        @Override
        public void started(Recording recording) {
            started.add(recording);
        }

        @Override
        public void ready(Recording recording, String why) {
            ready.add(recording);
            reasons.add(why);
        }

        @Override
        public void failed(Recording recording) {
            failed.add(recording);
        }
    }
}
