package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.testing.AlignedSegments;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.Http;
import fluxrelay.testing.MultitrackCapture;
import fluxrelay.testing.MultitrackRoom;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renditions from a real multitrack encoder: FFmpeg 8.1's capture of two H.264 tracks (320x240, 160x120) and two AAC
 * tracks, replayed over RTMP ({@link MultitrackCapture}). Track 1 becomes rendition {@code 120p} of room {@code demo}:
 * RTMP and HTTP-FLV viewers asking for it get 160x120 H.264, an unknown rendition is refused naming the available
 * ones, and the room's own URLs keep playing track 0. Its HLS multivariant playlists (MPEG-TS {@code index.m3u8},
 * LL-HLS {@code ll-index.m3u8}) list both variants, each playable, and the segments of both start at the same times.
 */
class RenditionsEndToEndTest {

    private static MultitrackRoom room;
    private static TestServer server;

    @BeforeAll
    static void publish() throws Exception {
        room = MultitrackRoom.start("relay.hls { target-duration = 1s, playlist-max-age = 0s }");
        server = room.server();
    }

    @AfterAll
    static void stop() throws Exception {
        if (room != null) {
            room.close();
        }
    }

    @Test
    void rtmpViewersAskingForARenditionGetIt() throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", server.rtmpUrl("live", "demo?rendition=120p"))) {
            assertEquals(0, probe.await(30), probe.output());
            assertTrue(probe.output().contains("h264,160,120"), probe.output());
            assertTrue(probe.output().contains("aac"), probe.output());
            assertFalse(probe.output().contains("320,240"), probe.output());
        }
    }

    @Test
    void httpFlvViewersAskingForARenditionGetIt() throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", server.httpUrl("/live/demo.flv?rendition=120p"))) {
            assertEquals(0, probe.await(30), probe.output());
            assertTrue(probe.output().contains("h264,160,120"), probe.output());
            assertFalse(probe.output().contains("320,240"), probe.output());
        }
    }

    @Test
    void theRoomsOwnUrlStillPlaysTrackZero() throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", server.httpUrl("/live/demo.flv"))) {
            assertEquals(0, probe.await(30), probe.output());
            assertTrue(probe.output().contains("h264,320,240"), probe.output());
        }
    }

    @Test
    void anUnknownRenditionIsRefusedNamingTheAvailableOnes() throws Exception {
        try (RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            viewer.play("demo?rendition=1080p");
            var status = viewer.awaitStatus(StatusCodes.PLAY_STREAM_NOT_FOUND, Duration.ofSeconds(10));
            String description = ((AmfObject) status.argument(0)).getString("description");
            assertEquals("No rendition '1080p' in room demo; available: 120p (or none for the main picture).", description);
        }
        HttpResponse<String> flv = Http.get(server.httpUrl("/live/demo.flv?rendition=1080p"));
        assertEquals(404, flv.statusCode());
        assertTrue(flv.body().contains("available: 120p"), flv.body());
    }

    @Test
    void theMultivariantPlaylistListsBothVariantsAndEachPlays() throws Exception {
        HlsTestClient hls = new HlsTestClient(server.httpUrl("/hls/demo/"));
        String master = await().atMost(Duration.ofSeconds(20)).until(() -> hls.playlist("index.m3u8"),
                text -> text != null && text.contains("r/120p/stream.m3u8"));
        List<String> lines = List.of(master.split("\n"));
        List<String> inf = lines.stream().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).toList();
        assertEquals(2, inf.size(), master);
        // Highest first: the program (320x240), then the rendition (160x120), each followed by its media playlist.
        assertTrue(inf.get(0).contains("RESOLUTION=320x240"), master);
        assertTrue(inf.get(1).contains("RESOLUTION=160x120"), master);
        for (String one : inf) {
            assertTrue(one.matches(".*CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\".*"), master);
            assertTrue(one.matches(".*AVERAGE-BANDWIDTH=\\d+.*"), master);
        }
        assertEquals("stream.m3u8", lines.get(lines.indexOf(inf.get(0)) + 1), master);
        assertEquals("r/120p/stream.m3u8", lines.get(lines.indexOf(inf.get(1)) + 1), master);
        for (String[] variant : new String[][] {{"/hls/demo/stream.m3u8", "h264,320,240"},
                {"/hls/demo/r/120p/stream.m3u8", "h264,160,120"}, {"/hls/demo/r/120p/ll.m3u8", "h264,160,120"}}) {
            try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                    "-of", "csv=p=0", server.httpUrl(variant[0]))) {
                assertEquals(0, probe.await(30), probe.output());
                assertTrue(probe.output().contains(variant[1]), variant[0] + ": " + probe.output());
            }
        }
        assertEquals(404, hls.get("r/1080p/stream.m3u8").statusCode());
    }

    @Test
    void segmentsOfBothVariantsStartAtTheSameTimes() throws Exception {
        AlignedSegments.assertAligned(server, "demo", "120p", 0.0005, Duration.ofSeconds(30));
    }

    @Test
    void theLowLatencyMultivariantPlaylistListsBothLlPlaylistsAndEachPlays() throws Exception {
        HlsTestClient hls = new HlsTestClient(server.httpUrl("/hls/demo/"));
        String master = await().atMost(Duration.ofSeconds(20)).until(() -> hls.playlist("ll-index.m3u8"),
                text -> text != null && text.contains("r/120p/ll.m3u8"));
        List<String> lines = List.of(master.split("\n"));
        List<String> inf = lines.stream().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).toList();
        assertEquals(2, inf.size(), master);
        assertTrue(inf.get(0).contains("RESOLUTION=320x240"), master);
        assertTrue(inf.get(1).contains("RESOLUTION=160x120"), master);
        for (String one : inf) {
            assertTrue(one.matches("#EXT-X-STREAM-INF:BANDWIDTH=\\d+,AVERAGE-BANDWIDTH=\\d+,CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\","
                    + "RESOLUTION=\\d+x\\d+,FRAME-RATE=\\d+\\.\\d{3},AUDIO=\"audio\""), master);
        }
        // The renditions carry the publish's one audio track: declared as one shared group, its media in the variants.
        assertTrue(master.contains("#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"audio\",NAME=\"Audio\",DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\""),
                master);
        assertFalse(master.contains("URI="), master);
        assertEquals("ll.m3u8", lines.get(lines.indexOf(inf.get(0)) + 1), master);
        assertEquals("r/120p/ll.m3u8", lines.get(lines.indexOf(inf.get(1)) + 1), master);
        String[] resolutions = {"h264,320,240", "h264,160,120"};
        for (int i = 0; i < inf.size(); i++) {
            String uri = lines.get(lines.indexOf(inf.get(i)) + 1);
            try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                    "-of", "csv=p=0", server.httpUrl("/hls/demo/" + uri))) {
                assertEquals(0, probe.await(30), probe.output());
                assertTrue(probe.output().contains(resolutions[i]), uri + ": " + probe.output());
            }
        }
        // Each ll.m3u8 reports where the other rendition is (RFC 8216bis 4.4.5.4), relative to itself.
        assertTrue(hls.playlist("ll.m3u8").matches("(?s).*\n#EXT-X-RENDITION-REPORT:URI=\"r/120p/ll\\.m3u8\","
                + "LAST-MSN=\\d+(,LAST-PART=\\d+)?\n.*"), hls.playlist("ll.m3u8"));
        String renditionLl = hls.playlist("r/120p/ll.m3u8");
        assertTrue(renditionLl.matches("(?s).*\n#EXT-X-RENDITION-REPORT:URI=\"\\.\\./\\.\\./ll\\.m3u8\",LAST-MSN=\\d+.*"), renditionLl);
        assertFalse(renditionLl.contains("120p/ll.m3u8"), renditionLl);
        // A rendition's own directory has one too, listing that rendition alone.
        String alone = new HlsTestClient(server.httpUrl("/hls/demo/r/120p/")).playlist("ll-index.m3u8");
        assertTrue(alone != null && alone.contains("RESOLUTION=160x120,") && alone.endsWith("\nll.m3u8\n") && !alone.contains("320x240"), alone);
    }

    @Test
    void lowLatencySegmentsOfBothVariantsStartAtTheSameTimes() throws Exception {
        HlsTestClient program = new HlsTestClient(server.httpUrl("/hls/demo/"));
        HlsTestClient rendition = new HlsTestClient(server.httpUrl("/hls/demo/r/120p/"));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String text = rendition.playlist("ll.m3u8");
            return text != null && HlsTestClient.entries(text).size() >= 3;
        });
        List<Double> renditionStarts = fmp4Starts(rendition, rendition.playlist("ll.m3u8"));
        TreeSet<Double> programStarts = new TreeSet<>(fmp4Starts(program, program.playlist("ll.m3u8")));
        List<Double> common = renditionStarts.stream().filter(t -> t >= programStarts.first() - 0.0005).toList();
        assertTrue(common.size() >= 2, "renditions " + renditionStarts + ", program " + programStarts);
        for (double start : common) {
            Double nearest = programStarts.ceiling(start - 0.0005);
            assertTrue(nearest != null && Math.abs(nearest - start) < 0.0005,
                    "rendition fMP4 segment at " + start + " s has no program segment starting then: " + programStarts);
        }
    }

    /**
     * The start time of every complete fMP4 segment an LL-HLS media playlist lists, as ffprobe reads it from the
     * segment behind its initialization segment (EXT-X-MAP), in seconds.
     */
    private static List<Double> fmp4Starts(HlsTestClient hls, String playlist) throws Exception {
        List<Double> out = new ArrayList<>();
        String map = null;
        for (String line : playlist.split("\n")) {
            if (line.startsWith("#EXT-X-MAP:URI=\"")) {
                map = line.substring("#EXT-X-MAP:URI=\"".length(), line.lastIndexOf('"'));
            } else if (!line.isBlank() && !line.startsWith("#") && map != null) {
                byte[] init = hls.get(map).body();
                byte[] segment = hls.get(line).body();
                java.nio.file.Path file = java.nio.file.Files.createTempFile("ll-segment", ".mp4");
                try {
                    java.nio.file.Files.write(file, init);
                    java.nio.file.Files.write(file, segment, java.nio.file.StandardOpenOption.APPEND);
                    try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=start_time", "-of", "csv=p=0", file.toString())) {
                        if (probe.await(30) == 0 && !probe.output().isBlank()) {
                            out.add(Double.parseDouble(probe.output().trim().split("\\s+")[0]));
                        }
                    }
                } finally {
                    java.nio.file.Files.deleteIfExists(file);
                }
            }
        }
        return out;
    }

    /** The start time of every segment a media playlist lists, as ffprobe reads it from the segment itself, in seconds. */
    @Test
    void theRoomViewAndTheMetricsCountViewersPerRendition() throws Exception {
        try (RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            viewer.play("demo?rendition=120p");
            viewer.awaitStatus(StatusCodes.PLAY_START, Duration.ofSeconds(10));
            String room = await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(server.httpUrl("/api/rooms/demo")).body(),
                    body -> body.matches("(?s).*\"renditions\":\\[\\{\"id\":\"120p\",\"publishing\":true,\"width\":160,"
                            + "\"height\":120,\"videoKbps\":\\d+,\"audioKbps\":\\d+,\"viewers\":1}].*"));
            assertTrue(room.contains("\"renditions\""), room);
            await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(server.httpUrl("/metrics")).body(),
                    metrics -> metrics.contains("fluxrelay_rendition_viewers{rendition=\"120p\",room=\"demo\"} 1.0"));
        }
    }
}
