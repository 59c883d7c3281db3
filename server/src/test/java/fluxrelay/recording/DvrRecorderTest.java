package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamLimits;
import fluxrelay.testing.SampleMedia;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder's live DVR windows on a real hub fed with the sample clip: the window's byte ranges make a playable
 * fMP4, the recording it reads is kept (fragment file, retention, delete) until the window goes, and a room's changed
 * window applies from its next session without cutting the running one.
 */
class DvrRecorderTest {

    @TempDir
    Path directory;

    private final RecorderTest.Events events = new RecorderTest.Events();
    private Recorder recorder;

    @AfterEach
    void close() {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void theWindowsRangesPlayAndItsRecordingIsKeptFromRetentionUntilTheWindowGoes() throws Exception {
        // Retention over 1 byte deletes every finished recording at each check (every 100 ms) that it may delete.
        recorder = new Recorder(new RecordingSettings(directory, Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ZERO, 1,
                0, 1, Duration.ofMillis(100)), ByteBufAllocator.DEFAULT, events, Clock.systemUTC(), dir -> Long.MAX_VALUE);
        recorder.start();
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream, false, Duration.ofSeconds(6));
        RecorderTest.publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        Recording recording = events.ready.get(0);
        DvrWindow window = recorder.dvr("room1").orElseThrow();
        assertEquals(recording.id(), window.recordingId());
        String playlist = window.playlist().orElseThrow().text();
        assertTrue(playlist.endsWith("#EXT-X-ENDLIST\n"), playlist);

        // The init segment and every listed segment, end to end: a fragmented MP4 ffmpeg decodes cleanly.
        Path joined = directory.resolve("window.mp4");
        try (OutputStream out = Files.newOutputStream(joined)) {
            for (String name : playlist.lines().filter(l -> l.startsWith("dvr-") || l.startsWith("#EXT-X-MAP"))
                    .map(l -> l.startsWith("#") ? l.substring(l.indexOf('"') + 1, l.lastIndexOf('"')) : l).toList()) {
                ByteBuf bytes = window.file(name).orElseThrow().read(ByteBufAllocator.DEFAULT);
                try {
                    bytes.readBytes(out, bytes.readableBytes());
                } finally {
                    bytes.release();
                }
            }
        }
        assertEquals("", Mp4Probe.decodeErrors(joined));
        int frames = Mp4Probe.videoFrames(joined);
        assertTrue(frames >= 6 * 30 * 9 / 10 && frames <= RecorderTest.clipVideoFrames(), frames + " frames in the window");

        // While the window is served: the fragment file stays beside the MP4, retention and delete leave it.
        Path fragments = directory.resolve(recording.id() + ".fmp4");
        assertTrue(Files.exists(fragments));
        assertTrue(Files.exists(recording.file()));
        ExecutionException refused = assertThrows(ExecutionException.class, () -> recorder.delete(recording.id()).get());
        assertInstanceOf(IllegalStateException.class, refused.getCause());
        assertEquals(1, recorder.list().size(), "retention leaves a recording a DVR window reads");

        // One window after the end: the window goes, then the fragment file, then retention takes the recording.
        await().atMost(Duration.ofSeconds(20)).until(() -> recorder.dvr("room1").isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.notExists(fragments) && recorder.list().isEmpty());
    }

    @Test
    void theRoomsNextSessionReplacesTheWindowAndLetsTheLastOnesFragmentsGo() throws Exception {
        recorder = new Recorder(new RecordingSettings(directory, Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ZERO, 0,
                0, 1, Duration.ofMillis(100)), ByteBufAllocator.DEFAULT, events, Clock.systemUTC(), dir -> Long.MAX_VALUE);
        recorder.start();
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream, false, Duration.ofMinutes(10));
        RecorderTest.publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        Path first = directory.resolve(events.ready.get(0).id() + ".fmp4");
        assertTrue(Files.exists(first), "kept for the ended window");
        RecorderTest.publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 2);
        assertEquals(events.ready.get(1).id(), recorder.dvr("room1").orElseThrow().recordingId());
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.notExists(first));
        recorder.detach("room1");
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.dvr("room1").isEmpty()
                && Files.notExists(directory.resolve(events.ready.get(1).id() + ".fmp4")));
        assertEquals(2, recorder.list().size());
    }

    @Test
    void aChangedWindowLeavesTheRunningSessionWholeAndAppliesToTheNext() throws Exception {
        recorder = new Recorder(new RecordingSettings(directory, Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ZERO, 0,
                0, 1, Duration.ofMillis(100)), ByteBufAllocator.DEFAULT, events, Clock.systemUTC(), dir -> Long.MAX_VALUE);
        recorder.start();
        LiveStream stream = new LiveStream("room1", true, new StreamLimits(8 << 20, 2000));
        recorder.attach(stream, false);
        PublisherSlot slot = RecorderTest.claim(stream);
        List<MediaFrame> frames = SampleMedia.frames(SampleMedia.AV_720P);
        int half = frames.size() / 2;
        frames.subList(0, half).forEach(slot::publish);
        await().atMost(Duration.ofSeconds(10)).until(() -> events.started.size() == 1);
        recorder.attach(stream, false, Duration.ofMinutes(10)); // switched on while a session runs: from the next one
        frames.subList(half, frames.size()).forEach(slot::publish);
        slot.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 1);
        assertEquals(1, events.started.size(), "not cut in two");
        assertEquals(RecorderTest.clipVideoFrames(), Mp4Probe.videoFrames(events.ready.get(0).file()), "every frame in one file");
        assertTrue(recorder.dvr("room1").isEmpty(), "the running session had no window and got none");

        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.applied("room1")); // replaced on its thread
        RecorderTest.publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 2);
        Recording second = events.ready.get(1);
        DvrWindow window = recorder.dvr("room1").orElseThrow();
        assertEquals(second.id(), window.recordingId(), "the next session has the window");
        assertEquals(600.0, window.windowSeconds(), "and keeps it ten minutes after its end, unless replaced");

        // Switched off again: the next session has none, and the last one's window goes when it starts.
        recorder.attach(stream, false, Duration.ZERO);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorder.applied("room1"));
        RecorderTest.publish(stream);
        await().atMost(Duration.ofSeconds(30)).until(() -> events.ready.size() == 3);
        assertNotEquals(second.id(), events.ready.get(2).id());
        await().atMost(Duration.ofSeconds(5)).until(() -> recorder.dvr("room1").isEmpty()
                && Files.notExists(directory.resolve(second.id() + ".fmp4")));
        assertEquals(3, events.started.size());
    }
}
