package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.RawPictures;
import fluxrelay.testing.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real encoders publish recognisable pictures into one room, the main input a test pattern and the backup solid
 * red; one ffmpeg viewer decodes the room's program over HTTP-FLV the whole time, never reconnecting. Which input is on
 * air is read from the decoded pictures: manual switches both ways, a SIGKILL of the main encoder (failover), and its
 * return (failback after failback-after). The viewer's timestamps never go back and its decoder reports no error.
 */
class ProgramSwitchEndToEndTest {

    private static final String MAIN_KEY = "main-key-0123456789abcdef";
    private static final String BACKUP_KEY = "backup-key-0123456789abcdef";
    /** The viewer's pictures, scaled down: SIDE x SIDE pixels, RGB. */
    private static final int SIDE = 16;
    private static final int FRAME_BYTES = SIDE * SIDE * 3;

    private final List<Ffmpeg.Run> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        for (Ffmpeg.Run run : processes) {
            run.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private Ffmpeg.Run encoder(String source, String key) throws IOException {
        // With audio, as encoders send it: a player's probe of the program ends at once when both tracks are there.
        Ffmpeg.Run run = Ffmpeg.startFfmpeg("-v", "error", "-re", "-f", "lavfi", "-i", source + (source.contains("=") ? ":" : "=") + "size=320x240:rate=25",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-c:a", "aac", "-b:a", "64k",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                "-f", "flv", server.rtmpUrl("live", key));
        processes.add(run);
        return run;
    }

    @Test
    void theViewerSeesTheInputOnAirThroughManualSwitchesFailoverAndFailback(@TempDir Path dir) throws Exception {
        server = TestServer.start("""
                relay.rooms = [ { id = show, inputs = [
                  { id = main, stream-name = "%s" },
                  { id = backup, stream-name = "%s", role = backup } ] } ]
                relay.program { failover-after = 1s, failback-after = 3s }
                """.formatted(MAIN_KEY, BACKUP_KEY));
        Ffmpeg.Run main = encoder("testsrc2", MAIN_KEY);
        encoder("color=c=red", BACKUP_KEY);
        Path pictures = dir.resolve("pictures.rgb");
        Path packets = dir.resolve("packets.crc");
        Ffmpeg.Run viewer = Ffmpeg.startFfmpeg("-v", "warning", "-i", server.httpUrl("/live/show.flv"),
                "-map", "0:v", "-vf", "scale=" + SIDE + ":" + SIDE + ":flags=area,format=rgb24", "-f", "rawvideo",
                "-flush_packets", "1", pictures.toString(),
                "-map", "0:v", "-c", "copy", "-copyts", "-f", "framecrc", "-flush_packets", "1", packets.toString());
        processes.add(viewer);

        Duration wait = Duration.ofSeconds(30);
        await().atMost(wait).until(() -> onAir(pictures) == Picture.PATTERN);

        assertEquals(200, switchTo("backup"), "answered once the backup's keyframe is on air (1 s GOP, 4 s wait)");
        await().atMost(wait).until(() -> onAir(pictures) == Picture.RED);

        assertEquals(200, switchTo("main"));
        await().atMost(wait).until(() -> onAir(pictures) == Picture.PATTERN);

        assertEquals(404, switchTo("slides"), "no such input");
        main.kill(); // SIGKILL: the main encoder is gone without a goodbye
        long killed = System.nanoTime();
        await().atMost(wait).until(() -> onAir(pictures) == Picture.RED);
        assertEquals(409, switchTo("main"), "the main input is not publishing");
        long failoverMs = (System.nanoTime() - killed) / 1_000_000;
        assertTrue(failoverMs < 1000 + 1000 + 2000, "on the backup within failover-after plus one GOP (with slack): " + failoverMs);

        encoder("testsrc2", MAIN_KEY);
        long back = System.nanoTime();
        await().atMost(wait).until(() -> onAir(pictures) == Picture.PATTERN);
        long failbackMs = (System.nanoTime() - back) / 1_000_000;
        assertTrue(failbackMs >= 3000, "not back before failback-after: " + failbackMs);

        assertTrue(viewer.alive(), "one viewer connection all along: " + viewer.output());
        assertFalse(viewer.output().toLowerCase().contains("error"), "the viewer decoded without an error: " + viewer.output());
        assertFalse(viewer.output().toLowerCase().contains("monoton"), "timestamps never went back: " + viewer.output());
        assertMonotonic(packets);
    }

    /** POST /api/rooms/show/program; the status. */
    private int switchTo(String input) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.httpUrl("/api/rooms/show/program")))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"input\": \"" + input + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.body().contains("\"program\":\"" + input + "\"") || response.statusCode() != 200, response.body());
        return response.statusCode();
    }

    private enum Picture { NONE, RED, PATTERN }

    /** What the viewer's latest decoded picture shows. */
    private static Picture onAir(Path pictures) throws IOException {
        byte[] frame = RawPictures.latest(pictures, FRAME_BYTES);
        if (frame == null) {
            return Picture.NONE;
        }
        return RawPictures.tint(frame, 0, SIDE * SIDE) == RawPictures.Tint.RED ? Picture.RED : Picture.PATTERN;
    }

    /** framecrc lines: {@code stream, dts, pts, duration, size, crc}; the dts never goes back. */
    private static void assertMonotonic(Path packets) throws IOException {
        long last = Long.MIN_VALUE;
        int count = 0;
        for (String line : Files.readAllLines(packets)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            long dts = Long.parseLong(line.split(",")[1].trim());
            assertTrue(dts >= last, "dts went back from " + last + " to " + dts);
            last = dts;
            count++;
        }
        assertTrue(count > 100, "packets seen: " + count);
    }
}
