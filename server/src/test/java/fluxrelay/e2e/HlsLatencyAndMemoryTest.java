package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.hls.HlsRoom;
import fluxrelay.hls.HlsRoomSnapshot;
import fluxrelay.hls.SegmentInfo;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.StreamSubscriber;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Measures (and prints, never asserts on) how soon a segment is listed after the keyframe that completes it
 * reaches the hub, and how much memory a room's segments take.
 */
class HlsLatencyAndMemoryTest {

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Notes when each keyframe reaches the hub: called inline as the hub takes the frame. */
    private static final class KeyframeClock implements StreamSubscriber {
        final Map<Long, Long> arrivals = new ConcurrentHashMap<>();

        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public void onStreamStart(StreamStart start) {
        }

        @Override
        public void onFrame(MediaFrame frame) {
            if (frame instanceof VideoFrame video && video.isRandomAccessPoint()) {
                arrivals.putIfAbsent(frame.timestamp(), System.nanoTime());
            }
            frame.release();
        }

        @Override
        public void onStreamStop(StreamStop reason) {
        }

        @Override
        public void onClosed(String reason) {
        }
    }

    @Test
    void segmentAvailabilityDelay() throws Exception {
        KeyframeClock keyframes = new KeyframeClock();
        server.server().streams().stream("demo", true).subscribe(keyframes);
        HlsRoom room = server.server().hls().room("demo").orElseThrow();
        List<long[]> listed = new CopyOnWriteArrayList<>(); // {closing keyframe ts, nanos}
        room.addListener(playlists -> {
            List<SegmentInfo> segments = playlists.view().segments();
            SegmentInfo newest = segments.get(segments.size() - 1);
            long closingKeyframe = newest.startTimestamp() + newest.durationMs();
            if (listed.isEmpty() || listed.get(listed.size() - 1)[0] != closingKeyframe) {
                listed.add(new long[] {closingKeyframe, System.nanoTime()});
            }
        });
        try (Ffmpeg.Run publisher = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i",
                SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY))) {
            await().atMost(Duration.ofSeconds(40)).until(() -> listed.size() >= 6);
        }
        // Only segments listed while the publisher was live: the one its end closes is cut by the end, not a keyframe.
        // A copy: the listener goes on adding (the end-closed segment) while this reads, and a CopyOnWriteArrayList's
        // sub-list fails on any later change to its list.
        List<long[]> live = List.copyOf(listed).subList(0, 6);
        List<Double> delays = new ArrayList<>();
        for (long[] segment : live) {
            Long arrived = keyframes.arrivals.get(segment[0]);
            assertNotNull(arrived, "each segment is closed by a keyframe the hub received: " + segment[0]);
            delays.add((segment[1] - arrived) / 1e6);
        }
        List<Double> sorted = delays.stream().sorted().toList();
        System.out.printf("HLS segment availability delay (closing keyframe at the hub -> segment listed), ms: %s; "
                + "median %.2f, max %.2f%n", delays.stream().map(d -> String.format("%.2f", d)).toList(),
                sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    @Test
    void memoryPerRoom() throws Exception {
        try (Ffmpeg.Run publisher = Ffmpeg.startFfmpeg("-stream_loop", "2", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY))) {
            assertEquals(0, publisher.await(60), publisher.output());
        }
        HlsRoom room = server.server().hls().room("demo").orElseThrow();
        await().atMost(Duration.ofSeconds(20)).until(() -> room.snapshot().ended());
        HlsRoomSnapshot figures = room.snapshot();
        assertEquals(6, figures.segmentsListed());
        assertTrue(figures.segmentsHeld() <= 2 * 6 + 2 + 6, figures.toString());
        System.out.printf("HLS memory per room, 720p30 ~1.8 Mbit/s sample: %d listed segments = %d bytes (%.2f MiB, "
                + "%d KiB per segment); held incl. segments kept after leaving the playlist (RFC 8216 6.2.2): %d segments, "
                + "%d bytes of buffers (%.2f MiB)%n", figures.segmentsListed(), figures.bytesListed(),
                figures.bytesListed() / 1048576.0, figures.bytesListed() / figures.segmentsListed() / 1024, figures.segmentsHeld(),
                figures.memoryHeld(), figures.memoryHeld() / 1048576.0);
        System.out.println(figures);
    }
}
