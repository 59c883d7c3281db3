package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.stream.FeedId;
import fluxrelay.testing.AlignedSegments;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.Http;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The server-side ladder with the real ffmpeg (the one Maven brings): room {@code lad} asks for a 360p rung, an
 * ffmpeg encoder publishes the 720p30 sample; the ladder's ffmpeg, a child of the server, makes rendition
 * {@code 360p}, playable over RTMP and HLS with segments starting where the program's do. Killed with SIGKILL it is
 * restarted and the rendition plays again; when the encoder stops, the ladder's process ends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LadderEndToEndTest {

    private static final String KEY = "ladder-room-key-0123456789";
    private static TestServer server;
    private static Ffmpeg.Run encoder;

    @BeforeAll
    static void publish() throws Exception {
        server = TestServer.start("relay.ladder.ffmpeg = \"" + Ffmpeg.ffmpeg() + "\"\n"
                + "relay.ladder.restart-backoff { min = 500ms, max = 5s }\n"
                + "relay.hls { target-duration = 2s, playlist-max-age = 0s }\n"
                + "relay.rooms = [ { id = lad, stream-name = \"" + KEY + "\","
                + " ladder = [ { id = 360p, height = 360, video-kbps = 600, audio-kbps = 64 },"
                + " { id = 720p, height = 720, video-kbps = 2500 } ] } ]");
        encoder = Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-stream_loop", "-1", "-i",
                SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv", server.rtmpUrl("live", KEY));
        awaitRendition();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (encoder != null) {
                encoder.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    private static void awaitRendition() {
        await().atMost(Duration.ofSeconds(40)).failFast(() -> !encoder.alive()).until(() -> server.server().streams()
                .find(FeedId.rendition("lad", "360p")).map(hub -> hub.snapshot().visible()).orElse(false));
    }

    /** The server's ladder ffmpeg processes (its children reading room lad). */
    private static List<ProcessHandle> ladderProcesses() {
        return ProcessHandle.current().descendants().filter(p -> p.info().commandLine()
                .or(() -> p.info().arguments().map(a -> String.join(" ", a))).orElse("").contains("ladder?room=lad")).toList();
    }

    private static void assertPlays360p() throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", server.rtmpUrl("live", "lad?rendition=360p"))) {
            assertEquals(0, probe.await(30), probe.output());
            assertTrue(probe.output().contains("h264,640,360"), probe.output());
            assertTrue(probe.output().contains("aac"), probe.output());
        }
    }

    @Test
    @Order(1)
    void theRenditionPlaysAs640x360H264AndRungsNotBelowTheSourceAreSkipped() throws Exception {
        assertPlays360p();
        String view = Http.get(server.httpUrl("/api/rooms/lad")).body();
        assertTrue(view.matches("(?s).*\"ladder\":\\{\"state\":\"running\",\"pid\":\\d+,\"renditions\":\\[\"360p\"],"
                + "\"skipped\":\\[\"720p \\(the program is 720 lines high\\)\"].*"), view);
        assertEquals(1, ladderProcesses().size(), "one process per room");
        var readers = server.server().streams().find(FeedId.program("lad")).orElseThrow().viewers();
        assertTrue(readers.stream().anyMatch(v -> v.internal()), "the ladder reads the program");
        assertTrue(readers.stream().allMatch(v -> v.internal()), "and is no viewer");
    }

    @Test
    @Order(2)
    void theMultivariantPlaylistListsBothVariants() {
        HlsTestClient hls = new HlsTestClient(server.httpUrl("/hls/lad/"));
        String master = await().atMost(Duration.ofSeconds(30)).until(() -> hls.playlist("index.m3u8"),
                text -> text != null && text.contains("r/360p/stream.m3u8"));
        List<String> inf = master.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).toList();
        assertEquals(2, inf.size(), master);
        assertTrue(inf.get(0).contains("RESOLUTION=1280x720"), master);
        assertTrue(inf.get(1).contains("RESOLUTION=640x360"), master);
    }

    @Test
    @Order(3)
    void segmentsOfProgramAndRenditionStartAtTheSameTimes() throws Exception {
        AlignedSegments.assertAligned(server, "lad", "360p", 0.002, Duration.ofSeconds(40));
    }

    /** The start time of each listed segment's video, as ffprobe reads it from the segment, in seconds. */
    @Test
    @Order(4)
    void aKilledLadderIsRestartedAndTheRenditionPlaysAgain() throws Exception {
        List<ProcessHandle> before = ladderProcesses();
        assertEquals(1, before.size());
        ProcessHandle killed = before.get(0);
        killed.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !killed.isAlive());
        Optional<ProcessHandle> again = await().atMost(Duration.ofSeconds(20))
                .until(() -> ladderProcesses().stream().filter(ProcessHandle::isAlive).findFirst(), Optional::isPresent);
        assertTrue(again.get().pid() != killed.pid());
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(server.httpUrl("/metrics")).body(),
                m -> m.contains("fluxrelay_ladder_restarts_total{room=\"lad\"} 1.0") && m.contains("fluxrelay_ladder_processes 1.0"));
        String view = Http.get(server.httpUrl("/api/rooms/lad")).body();
        assertTrue(view.contains("\"restarts\":1") && view.contains("exited with code"), view);
        awaitRendition();
        assertPlays360p();
    }

    @Test
    @Order(5)
    void stoppingTheEncoderStopsTheLadderProcess() throws Exception {
        encoder.close();
        await().atMost(Duration.ofSeconds(15)).until(() -> ladderProcesses().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(server.httpUrl("/metrics")).body(),
                m -> m.contains("fluxrelay_ladder_processes 0.0") && m.matches("(?s).*fluxrelay_ladder_cpu_seconds_total\\{room=\"lad\"} [1-9].*"));
    }
}
