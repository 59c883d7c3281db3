package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RawPictures;
import fluxrelay.testing.ObsStudio;
import fluxrelay.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OBS Studio, headless, as a room's main input (solid green) beside an ffmpeg backup (solid red): an HTTP-FLV viewer of
 * the program sees green, red after a manual switch, green after the switch back, and red again when OBS is killed
 * (failover after the room's own failover-after), on one connection, decoding without an error.
 */
class ObsInputEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIN_KEY = "obs-key-0123456789abcdef";
    private static final String BACKUP_KEY = "backup-key-0123456789abcdef";
    private static final long OBS_GREEN = 0xFF00FF00L;
    private static final int SIDE = 16;
    private static final int FRAME_BYTES = SIDE * SIDE * 3;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<Ffmpeg.Run> processes = new ArrayList<>();
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

    private JsonNode room() throws Exception {
        return JSON.readTree(Http.send("GET", server.httpUrl("/api/rooms/show"), null, null).body());
    }

    @Test
    void obsIsAnInputLikeAnyEncoder(@TempDir Path dir) throws Exception {
        ObsStudio.require();
        server = TestServer.start("""
                relay.rooms = [ { id = show, failover-after = 1s, inputs = [
                  { id = main, stream-name = "%s" },
                  { id = backup, stream-name = "%s", role = backup } ] } ]
                """.formatted(MAIN_KEY, BACKUP_KEY));
        String app = server.rtmpUrl("live", MAIN_KEY);
        Path home = Files.createDirectories(dir.resolve("obs-home"));
        Ffmpeg.Run obs = ObsStudio.stream(home, app.substring(0, app.length() - MAIN_KEY.length() - 1), MAIN_KEY, OBS_GREEN);
        processes.add(obs);
        await("OBS on air").atMost(WAIT).until(() -> room().path("program").asText().equals("main") || !obs.alive());
        assertTrue(obs.alive(), obs.output());
        processes.add(Ffmpeg.startFfmpeg("-v", "error", "-re", "-f", "lavfi", "-i", "color=c=red:size=320x240:rate=25",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-c:a", "aac", "-b:a", "64k",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                "-f", "flv", server.rtmpUrl("live", BACKUP_KEY)));
        await().atMost(WAIT).until(() -> room().path("inputs").get(1).path("publishing").asBoolean());

        Path pictures = dir.resolve("pictures.rgb");
        Ffmpeg.Run viewer = Ffmpeg.startFfmpeg("-v", "warning", "-i", server.httpUrl("/live/show.flv"),
                "-map", "0:v", "-vf", "scale=" + SIDE + ":" + SIDE + ":flags=area,format=rgb24", "-f", "rawvideo",
                "-flush_packets", "1", pictures.toString());
        processes.add(viewer);
        await("green").atMost(WAIT).until(() -> latest(pictures) == Colour.GREEN);
        for (String input : List.of("backup", "main")) {
            HttpResponse<String> switched = Http.send("POST", server.httpUrl("/api/rooms/show/program"),
                    "{\"input\": \"" + input + "\"}", null);
            assertEquals(200, switched.statusCode(), switched.body());
            Colour expected = input.equals("main") ? Colour.GREEN : Colour.RED;
            await(expected.name()).atMost(WAIT).until(() -> latest(pictures) == expected);
        }
        JsonNode main = room().path("inputs").get(0);
        System.out.println("OBS as the main input: " + main.path("publisher").path("encoder").asText(main.toString())
                + "; backup parameters differ from main: " + room().path("inputs").get(1).path("parametersDifferFromMain"));
        ObsStudio.kill(obs);
        await("failover to red").atMost(WAIT).until(() -> latest(pictures) == Colour.RED);
        assertEquals("backup", room().path("program").asText());

        assertTrue(viewer.alive(), "one viewer connection all along: " + viewer.output());
        String output = viewer.output().toLowerCase(Locale.ROOT);
        assertFalse(output.contains("error") || output.contains("monoton"), "decoded without an error: " + output);
        assertEquals(List.of(Colour.GREEN, Colour.RED, Colour.GREEN, Colour.RED), sequence(pictures));
    }

    private enum Colour { RED, GREEN, OTHER }

    private static Colour colour(byte[] frame, int at) {
        return switch (RawPictures.tint(frame, at, SIDE * SIDE)) {
            case RED -> Colour.RED;
            case GREEN -> Colour.GREEN;
            case OTHER -> Colour.OTHER;
        };
    }

    private static Colour latest(Path pictures) throws IOException {
        byte[] frame = RawPictures.latest(pictures, FRAME_BYTES);
        return frame == null ? null : colour(frame, 0);
    }

    /** The colours shown, each run once. */
    private static List<Colour> sequence(Path pictures) throws IOException {
        byte[] all = Files.readAllBytes(pictures);
        List<Colour> runs = new ArrayList<>();
        for (int at = 0; at + FRAME_BYTES <= all.length; at += FRAME_BYTES) {
            Colour c = colour(all, at);
            if (runs.isEmpty() || runs.get(runs.size() - 1) != c) {
                runs.add(c);
            }
        }
        return runs;
    }
}
