package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RawPictures;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real players through a manual switch of a room's program: two ffmpeg encoders with the same codec settings, the main
 * input a test pattern and the backup solid red. RTMP (rtmpdump and ffmpeg) and HLS (ffmpeg) viewers decode without an
 * error, their timestamps never go back and their pictures go from the pattern to red; hls.js in Chromium plays through
 * two switches without the position standing still for a second, measured on the page.
 */
class ProgramSwitchClientsEndToEndTest {

    private static final String MAIN_KEY = "main-key-0123456789abcdef";
    private static final String BACKUP_KEY = "backup-key-0123456789abcdef";
    private static final int SIDE = 16;
    private static final int FRAME_BYTES = SIDE * SIDE * 3;
    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Ffmpeg.Run> processes = new ArrayList<>();
    private final ExecutorService browser = Executors.newSingleThreadExecutor();
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        browser.shutdownNow();
        for (Ffmpeg.Run run : processes) {
            run.close();
        }
        if (server != null) {
            server.close();
        }
        browser.awaitTermination(30, TimeUnit.SECONDS);
    }

    /** The room {@code show} with both encoders publishing and its HLS playlist under way. */
    private void startShow() throws Exception {
        server = TestServer.start("""
                relay.rooms = [ { id = show, inputs = [
                  { id = main, stream-name = "%s" },
                  { id = backup, stream-name = "%s", role = backup } ] } ]
                relay.hls { target-duration = 1s, playlist-max-age = 0s }
                """.formatted(MAIN_KEY, BACKUP_KEY));
        // The main encoder first: an input publishing first goes on air whatever its role (the main one comes back
        // only after failback-after), and these viewers are to start on the main input.
        encoder("testsrc2", MAIN_KEY);
        await().atMost(WAIT).until(() -> room().path("program").asText().equals("main"));
        encoder("color=c=red", BACKUP_KEY);
        await().atMost(WAIT).until(() -> room().path("inputs").get(1).path("publishing").asBoolean());
        await().atMost(WAIT).until(() -> segmentsProduced() >= 2);
    }

    private JsonNode room() throws Exception {
        return JSON.readTree(Http.send("GET", server.httpUrl("/api/rooms/show"), null, null).body());
    }

    private void encoder(String source, String key) throws Exception {
        processes.add(Ffmpeg.startFfmpeg("-v", "error", "-re", "-f", "lavfi", "-i",
                source + (source.contains("=") ? ":" : "=") + "size=320x240:rate=25",
                "-re", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-c:a", "aac", "-b:a", "64k",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                "-f", "flv", server.rtmpUrl("live", key)));
    }

    private long segmentsProduced() {
        return server.server().hls().room("show").map(r -> r.snapshot().segmentsProduced()).orElse(0L);
    }

    /** A decoding viewer: its scaled-down pictures and the framecrc of its video packets, as it goes. */
    private record Viewer(String name, Ffmpeg.Run run, Path pictures, Path packets) {
    }

    private Viewer decode(String name, Path dir, String input) throws IOException {
        Path pictures = dir.resolve(name + ".rgb");
        Path packets = dir.resolve(name + ".crc");
        Ffmpeg.Run run = Ffmpeg.startFfmpeg("-v", "warning", "-i", input,
                "-map", "0:v", "-vf", "scale=" + SIDE + ":" + SIDE + ":flags=area,format=rgb24", "-f", "rawvideo",
                "-flush_packets", "1", pictures.toString(),
                "-map", "0:v", "-c", "copy", "-copyts", "-f", "framecrc", "-flush_packets", "1", packets.toString());
        processes.add(run);
        return new Viewer(name, run, pictures, packets);
    }

    @Test
    void rtmpAndHlsViewersDecodeThroughAManualSwitch(@TempDir Path dir) throws Exception {
        Optional<Path> rtmpdump = Requirements.executable("rtmpdump");
        if (rtmpdump.isEmpty() && Requirements.inCi()) {
            fail("rtmpdump is not installed (apt-get install rtmpdump); CI must provide it (see .ci/run)");
        }
        startShow();
        List<Viewer> viewers = new ArrayList<>(List.of(
                decode("ffmpeg-rtmp", dir, server.rtmpUrl("live", "show")),
                decode("ffmpeg-hls", dir, server.httpUrl("/hls/show/index.m3u8"))));
        Path dumped = dir.resolve("rtmpdump.flv");
        Ffmpeg.Run dump = null;
        if (rtmpdump.isPresent()) {
            dump = Ffmpeg.startProcess(List.of(rtmpdump.get().toString(), "--live", "--quiet", "-r", server.rtmpUrl("live", "show"),
                    "-o", dumped.toString()));
            processes.add(dump);
        } else {
            System.out.println("rtmpdump is not installed: its viewer is left out");
        }
        for (Viewer viewer : viewers) {
            await(viewer.name()).atMost(WAIT).until(() -> latest(viewer.pictures()) == Picture.PATTERN);
        }
        if (dump != null) {
            await("rtmpdump").atMost(WAIT).until(() -> Files.exists(dumped) && Files.size(dumped) > 20_000);
        }

        HttpResponse<String> switched = switchTo("backup");
        assertEquals(200, switched.statusCode(), switched.body());
        for (Viewer viewer : viewers) {
            await(viewer.name()).atMost(WAIT).until(() -> latest(viewer.pictures()) == Picture.RED);
        }
        if (dump != null) {
            long size = Files.size(dumped);
            await("rtmpdump").atMost(WAIT).until(() -> Files.size(dumped) > size + 5_000); // seconds of red behind it
            dump.close(); // SIGTERM: rtmpdump ends its file cleanly
            viewers.add(decodeFile("rtmpdump", dir, dumped));
        }
        System.out.println("Program switch seen by players (one manual switch, same codec parameters):");
        for (Viewer viewer : viewers) {
            if (!viewer.name().equals("rtmpdump")) {
                assertTrue(viewer.run().alive(), viewer.name() + " stayed connected: " + viewer.run().output());
                viewer.run().close();
            }
            String output = viewer.run().output().toLowerCase(Locale.ROOT);
            assertFalse(output.contains("error") || output.contains("invalid") || output.contains("corrupt"),
                    viewer.name() + " decoded without an error: " + output);
            assertFalse(output.contains("monoton"), viewer.name() + ": timestamps never went back: " + output);
            List<Picture> sequence = sequence(viewer.pictures());
            assertEquals(List.of(Picture.PATTERN, Picture.RED), sequence, viewer.name() + ": the pattern, then red, once");
            Packets packets = packets(viewer.packets());
            System.out.printf("  %s: %d pictures, %d video packets, timestamps monotonic, largest step between packets %d ms%n",
                    viewer.name(), Files.size(viewer.pictures()) / FRAME_BYTES, packets.count(), packets.largestStepMs());
            assertTrue(packets.largestStepMs() <= 1000 + 40,
                    viewer.name() + ": no gap past the target's keyframe interval plus a frame: " + packets.largestStepMs() + " ms");
        }
        assertEquals("backup", room().path("program").asText());
        String playlist = Http.get(server.httpUrl("/hls/show/stream.m3u8")).body();
        assertFalse(playlist.contains("#EXT-X-DISCONTINUITY"), "the same codec parameters: no discontinuity\n" + playlist);
    }

    /** Decodes a finished file as {@link #decode} does a live input, to its end. */
    private Viewer decodeFile(String name, Path dir, Path file) throws Exception {
        Viewer viewer = decode(name, dir, file.toString());
        assertEquals(0, viewer.run().await(60), name + ": " + viewer.run().output());
        return viewer;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ll.m3u8", "index.m3u8"})
    void hlsJsInChromiumPlaysThroughSwitchesWithoutAStallOverASecond(String playlist, @TempDir Path dir) throws Exception {
        BrowserPlayer.requireReady();
        startShow();
        Path started = dir.resolve("started");
        CompletableFuture<BrowserPlayer.Result> played = CompletableFuture.supplyAsync(() -> {
            try {
                return BrowserPlayer.play(server.httpUrl("/hls/show/" + playlist), playlist.startsWith("ll"), 1, 0, 30, 30, started);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }, browser);
        await("playback").atMost(Duration.ofSeconds(60)).until(() -> Files.exists(started) || played.isDone());
        assertFalse(played.isDone(), () -> "the page stopped before playing: " + played.join().output());
        for (String input : List.of("backup", "main")) {
            long before = segmentsProduced();
            // Four segments of the input on air first: the page shows each input for a while.
            await().atMost(WAIT).until(() -> segmentsProduced() >= before + 4);
            HttpResponse<String> switched = switchTo(input);
            assertEquals(200, switched.statusCode(), switched.body());
        }
        BrowserPlayer.Result result = played.get(120, TimeUnit.SECONDS);
        JsonNode r = result.json();
        List<String> colours = new ArrayList<>();
        List<String> changes = new ArrayList<>();
        r.path("colours").forEach(c -> {
            colours.add(c.path("colour").asText());
            changes.add(c.path("colour").asText() + " from " + String.format(Locale.ROOT, "%.2f", c.path("mediaTime").asDouble()) + " s");
        });
        System.out.printf(Locale.ROOT, "hls.js %s, %s through two manual switches: longest stall %d ms (position standing still "
                        + "while playing, at %.2f s), longest waiting %d ms, %d waiting events, %d frames dropped; pictures %s%n",
                r.path("hlsVersion").asText(), playlist, r.path("longestStallMs").asLong(), r.path("longestStallAt").asDouble(),
                r.path("longestWaitingMs").asLong(), r.path("waitingEvents").asInt(), r.path("framesDropped").asInt(), changes);
        assertTrue(colours.containsAll(List.of("other", "red")) && colours.lastIndexOf("other") > colours.indexOf("red"),
                "the page showed the pattern, red, then the pattern again: " + colours + "\n" + result.output());
        assertTrue(r.path("longestStallMs").asLong() < 1000, "no stall of a second or more: " + r);
        assertTrue(r.path("longestWaitingMs").asLong() < 1000, "no wait for data of a second or more: " + r);
        for (JsonNode error : r.path("errors")) {
            assertFalse(error.path("fatal").asBoolean(), "no fatal hls.js error: " + r);
        }
    }

    private HttpResponse<String> switchTo(String input) throws Exception {
        return Http.send("POST", server.httpUrl("/api/rooms/show/program"), "{\"input\": \"" + input + "\"}", null);
    }

    private enum Picture { RED, PATTERN }

    private static Picture colour(byte[] frame) {
        return RawPictures.tint(frame, 0, SIDE * SIDE) == RawPictures.Tint.RED ? Picture.RED : Picture.PATTERN;
    }

    /** The viewer's latest decoded picture, or null before its first. */
    private static Picture latest(Path pictures) throws IOException {
        byte[] frame = RawPictures.latest(pictures, FRAME_BYTES);
        return frame == null ? null : colour(frame);
    }

    /** What the pictures showed, each run of equal pictures once. */
    private static List<Picture> sequence(Path pictures) throws IOException {
        byte[] all = Files.readAllBytes(pictures);
        List<Picture> runs = new ArrayList<>();
        byte[] frame = new byte[FRAME_BYTES];
        for (int at = 0; at + FRAME_BYTES <= all.length; at += FRAME_BYTES) {
            System.arraycopy(all, at, frame, 0, FRAME_BYTES);
            Picture p = colour(frame);
            if (runs.isEmpty() || runs.get(runs.size() - 1) != p) {
                runs.add(p);
            }
        }
        return runs;
    }

    private record Packets(int count, long largestStepMs) {
    }

    /** framecrc lines ({@code stream, dts, pts, duration, size, crc}): the dts never goes back; the largest step. */
    private static Packets packets(Path crc) throws IOException {
        double msPerTick = 1;
        long last = Long.MIN_VALUE;
        long largest = 0;
        int count = 0;
        for (String line : Files.readAllLines(crc)) {
            if (line.startsWith("#tb 0:")) {
                String[] tb = line.substring(6).trim().split("/");
                msPerTick = 1000.0 * Long.parseLong(tb[0]) / Long.parseLong(tb[1]);
            }
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            long dts = Long.parseLong(line.split(",")[1].trim());
            assertTrue(dts >= last, crc.getFileName() + ": dts went back from " + last + " to " + dts);
            if (last != Long.MIN_VALUE) {
                largest = Math.max(largest, Math.round((dts - last) * msPerTick));
            }
            last = dts;
            count++;
        }
        assertTrue(count > 50, crc.getFileName() + ": packets seen: " + count);
        return new Packets(count, largest);
    }
}
