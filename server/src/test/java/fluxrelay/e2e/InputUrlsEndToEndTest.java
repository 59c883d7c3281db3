package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.Http;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watching one input (issue 19): a room with inputs {@code main} (ffmpeg's testsrc2 pattern) and {@code cam2} (solid
 * green) published by two ffmpeg encoders. A viewer of each per-input URL, over RTMP (ffmpeg with both ways of
 * naming the application, rtmpdump), HTTP-FLV, HLS and LL-HLS, decodes that input's picture; the program URLs still
 * play the main input; an unknown input is refused as an unknown room is.
 */
class InputUrlsEndToEndTest {

    private static final String MAIN_KEY = "stage-main-key-0123456789";
    private static final String CAM2_KEY = "stage-cam2-key-0123456789";
    /** Decoded frames are scaled to this many pixels a side before they are compared. */
    private static final int SIDE = 8;

    private static TestServer server;
    private static Ffmpeg.Run main;
    private static Ffmpeg.Run cam2;

    @BeforeAll
    static void publishBothInputs() throws Exception {
        server = TestServer.start("relay.rooms = [ { id = stage, app = live, inputs = [ { id = main, stream-name = " + MAIN_KEY
                + " }, { id = cam2, stream-name = " + CAM2_KEY + " } ] } ]");
        main = publish("testsrc2=size=320x240:rate=25", MAIN_KEY);
        // The first input live goes on air: main, before cam2 starts, so that the room's URLs play main.
        await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(server.httpUrl("/api/rooms/stage")).body()
                .contains("\"program\":\"main\""));
        cam2 = publish("color=c=0x00ff00:size=320x240:rate=25", CAM2_KEY);
        HlsTestClient mainHls = new HlsTestClient(server.httpUrl("/hls/stage/"));
        HlsTestClient cam2Hls = new HlsTestClient(server.httpUrl("/hls/stage/cam2/"));
        await().atMost(Duration.ofSeconds(60)).until(() -> segments(mainHls) >= 2 && segments(cam2Hls) >= 2);
    }

    @AfterAll
    static void stop() throws Exception {
        try (Ffmpeg.Run a = main; Ffmpeg.Run b = cam2) {
            server.close();
        }
    }

    private static Ffmpeg.Run publish(String source, String key) throws Exception {
        return Ffmpeg.startFfmpeg("-loglevel", "error", "-re", "-f", "lavfi", "-i", source,
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-g", "25",
                "-keyint_min", "25", "-sc_threshold", "0", "-c:a", "aac", "-b:a", "32k",
                "-f", "flv", server.rtmpUrl("live", key));
    }

    private static int segments(HlsTestClient hls) throws Exception {
        String playlist = hls.playlist("stream.m3u8");
        return playlist == null ? 0 : HlsTestClient.entries(playlist).size();
    }

    /** One decoded frame of {@code input} (ffmpeg's input options first), scaled to {@value #SIDE}² RGB pixels. */
    private static byte[] frame(String... input) throws Exception {
        Path out = Files.createTempFile("frame-", ".rgb");
        out.toFile().deleteOnExit();
        List<String> args = new ArrayList<>(List.of("-loglevel", "error", "-rw_timeout", "20000000"));
        args.addAll(List.of(input));
        args.addAll(List.of("-an", "-frames:v", "1", "-vf", "scale=" + SIDE + ":" + SIDE, "-f", "rawvideo", "-pix_fmt", "rgb24",
                "-y", out.toString()));
        try (Ffmpeg.Run viewer = Ffmpeg.startFfmpeg(args.toArray(String[]::new))) {
            assertEquals(0, viewer.await(60), viewer.output());
        }
        byte[] rgb = Files.readAllBytes(out);
        assertEquals(SIDE * SIDE * 3, rgb.length, "one whole frame from " + input[input.length - 1]);
        return rgb;
    }

    private static boolean green(byte[] rgb, int pixel) {
        int r = rgb[3 * pixel] & 0xff;
        int g = rgb[3 * pixel + 1] & 0xff;
        int b = rgb[3 * pixel + 2] & 0xff;
        return g > 180 && r < 80 && b < 80;
    }

    /** cam2's picture: every pixel solid green. */
    private static void assertCam2(byte[] rgb, String what) {
        for (int p = 0; p < SIDE * SIDE; p++) {
            assertTrue(green(rgb, p), what + ": pixel " + p + " is not cam2's green");
        }
    }

    /** main's picture: testsrc2, mostly not green and far from one flat colour. */
    private static void assertMain(byte[] rgb, String what) {
        int greens = 0;
        int min = 255;
        int max = 0;
        for (int p = 0; p < SIDE * SIDE; p++) {
            greens += green(rgb, p) ? 1 : 0;
            int luma = ((rgb[3 * p] & 0xff) + (rgb[3 * p + 1] & 0xff) + (rgb[3 * p + 2] & 0xff)) / 3;
            min = Math.min(min, luma);
            max = Math.max(max, luma);
        }
        assertTrue(greens < SIDE * SIDE / 4, what + ": " + greens + " green pixels; main's testsrc2 has few");
        assertTrue(max - min > 60, what + ": a flat picture (" + min + ".." + max + "), not main's testsrc2");
    }

    private String rtmp(String path) {
        return "rtmp://127.0.0.1:" + server.rtmpPort() + path;
    }

    @Test
    void rtmpPlaysEachInputAndTheProgramStaysTheMain() throws Exception {
        // ffmpeg splits this URL as app "live/stage", play "cam2".
        assertCam2(frame("-i", rtmp("/live/stage/cam2")), "ffmpeg rtmp://host/live/stage/cam2");
        assertMain(frame("-i", rtmp("/live/stage/main")), "ffmpeg rtmp://host/live/stage/main");
        // The other split: app "live", play "stage/cam2".
        assertCam2(frame("-rtmp_app", "live", "-rtmp_playpath", "stage/cam2", "-i", rtmp("/live")), "ffmpeg app live, play stage/cam2");
        assertMain(frame("-i", rtmp("/live/stage")), "ffmpeg program URL rtmp://host/live/stage");
    }

    @Test
    void rtmpdumpPlaysOneInput() throws Exception {
        Requirements.tool("rtmpdump", "apt-get install rtmpdump");
        assertCam2(rtmpdump("-r", rtmp("/live/stage/cam2")), "rtmpdump rtmp://host/live/stage/cam2");
        assertCam2(rtmpdump("-r", rtmp("/live"), "-a", "live", "-y", "stage/cam2"), "rtmpdump -a live -y stage/cam2");
        assertMain(rtmpdump("-r", rtmp("/live/stage")), "rtmpdump program URL");
    }

    /** rtmpdump records a live play to a file until it holds some video; the file's first frame, decoded. */
    private static byte[] rtmpdump(String... args) throws Exception {
        Path flv = Files.createTempFile("rtmpdump-", ".flv");
        flv.toFile().deleteOnExit();
        List<String> command = new ArrayList<>(List.of("rtmpdump", "-q", "-v"));
        command.addAll(List.of(args));
        command.addAll(List.of("-o", flv.toString()));
        try (Ffmpeg.Run dump = Ffmpeg.startProcess(command)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.size(flv) > 20_000 || !dump.alive());
            assertTrue(Files.size(flv) > 20_000, "rtmpdump wrote " + Files.size(flv) + " bytes: " + dump.output());
        }
        return frame("-i", flv.toString());
    }

    @Test
    void httpFlvPlaysEachInputAndTheProgramStaysTheMain() throws Exception {
        assertCam2(frame("-i", server.httpUrl("/live/stage/cam2.flv")), "/live/stage/cam2.flv");
        assertMain(frame("-i", server.httpUrl("/live/stage/main.flv")), "/live/stage/main.flv");
        assertMain(frame("-i", server.httpUrl("/live/stage.flv")), "/live/stage.flv");
    }

    @Test
    void hlsServesEachInputUnderItsOwnPrefix() throws Exception {
        assertCam2(frame("-i", server.httpUrl("/hls/stage/cam2/index.m3u8")), "/hls/stage/cam2/index.m3u8");
        assertMain(frame("-i", server.httpUrl("/hls/stage/main/index.m3u8")), "/hls/stage/main/index.m3u8");
        assertMain(frame("-i", server.httpUrl("/hls/stage/index.m3u8")), "/hls/stage/index.m3u8");
        // The segments differ: each input is packaged on its own.
        String cam2Playlist = new HlsTestClient(server.httpUrl("/hls/stage/cam2/")).playlist("stream.m3u8");
        String mainPlaylist = new HlsTestClient(server.httpUrl("/hls/stage/")).playlist("stream.m3u8");
        String cam2Segment = HlsTestClient.entries(cam2Playlist).get(0).uri();
        assertFalse(cam2Segment.contains("/"), "segment URIs are relative to the input's playlist: " + cam2Segment);
        assertFalse(mainPlaylist.contains(cam2Segment), "cam2's segments are its own");
    }

    @Test
    void lowLatencyHlsServesEachInputUnderItsOwnPrefix() throws Exception {
        HlsTestClient ll = new HlsTestClient(server.httpUrl("/hls/stage/cam2/"));
        String playlist = ll.playlist("ll.m3u8");
        assertTrue(playlist != null && playlist.contains("#EXT-X-PART:"), String.valueOf(playlist));
        String init = playlist.replaceAll("(?s).*#EXT-X-MAP:URI=\"([^\"]+)\".*", "$1");
        assertFalse(init.contains("/"), "the init segment's URI is relative: " + init);
        assertEquals(200, ll.get(init).statusCode(), init);
        assertCam2(frame("-i", server.httpUrl("/hls/stage/cam2/ll.m3u8")), "/hls/stage/cam2/ll.m3u8");
    }

    @Test
    void anUnknownInputIsRefusedAsAnUnknownRoom() throws Exception {
        try (Ffmpeg.Run viewer = Ffmpeg.startFfmpeg("-loglevel", "error", "-i", rtmp("/live/stage/nope"), "-f", "null", "-")) {
            assertTrue(viewer.await(30) != 0, viewer.output());
            assertTrue(viewer.output().contains("No such stream: stage/nope"), viewer.output());
        }
        var flv = Http.get(server.httpUrl("/live/stage/nope.flv"));
        assertEquals(404, flv.statusCode());
        assertTrue(flv.body().contains("No such room or input"), flv.body());
        var hls = Http.get(server.httpUrl("/hls/stage/nope/index.m3u8"));
        assertEquals(404, hls.statusCode());
        assertTrue(hls.body().contains("No such room or input"), hls.body());
        assertEquals(404, Http.get(server.httpUrl("/hls/stage/Bad_Id/index.m3u8")).statusCode());
    }
}
