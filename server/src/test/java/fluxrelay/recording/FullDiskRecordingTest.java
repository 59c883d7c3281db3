package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording onto a small file system that fills up while an encoder publishes and a viewer watches over HTTP-FLV:
 * a tmpfs mounted by the test (root only: skipped elsewhere, failed under CI) as the recording directory. Reaching the
 * free-space floor ends the recording finalized and readable, with the webhook and the metric saying why; a disk full
 * before any floor (ENOSPC while writing a fragment) ends it failed or finalized, and starts no other. Either way the
 * viewer goes on receiving the live stream.
 */
class FullDiskRecordingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path mounted;

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null && run("umount", mounted.toString()) != 0) {
            run("umount", "-l", mounted.toString()); // still busy: detach it now, gone once released
        }
    }

    @Test
    void reachingTheFloorEndsTheRecordingFinalizedAndLiveViewersGoOn() throws Exception {
        Path disk = mount("12m");
        List<JsonNode> hooks = new CopyOnWriteArrayList<>();
        HttpServer platform = platform(hooks);
        try (TestServer server = TestServer.start(config(disk, "8MiB", platform));
             Ffmpeg.Run encoder = encode(server);
             HttpFlvTestClient viewer = new HttpFlvTestClient(server.httpUrl("/live/demo.flv"))) {
            JsonNode ready = await().atMost(Duration.ofSeconds(90))
                    .until(() -> hook(hooks, "recording.ready"), h -> h != null);
            assertEquals(Recorder.LOW_SPACE, ready.get("reason").asText(), ready.toString());
            String metrics = Http.get(server.httpUrl("/metrics")).body();
            assertTrue(metrics.contains("\nfluxrelay_recording_low_space_stops_total 1.0\n"), metrics);
            assertTrue(metrics.contains("\nfluxrelay_recording_failures_total 0.0\n"), metrics);

            Path file = Path.of(ready.get("path").asText());
            assertEquals("", Mp4Probe.decodeErrors(file));
            assertTrue(Mp4Probe.videoFrames(file) >= 150, "several seconds recorded: " + Mp4Probe.streams(file));
            assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(file));
            viewerGoesOn(viewer, encoder);
            assertEquals(1, recordings(server).size(), "no recording starts below the floor");
        } finally {
            platform.stop(0);
        }
    }

    @Test
    void aDiskFullBeforeTheFloorEndsTheRecordingAndStartsNoOther() throws Exception {
        Path disk = mount("3m");
        List<JsonNode> hooks = new CopyOnWriteArrayList<>();
        HttpServer platform = platform(hooks);
        try (TestServer server = TestServer.start(config(disk, "0", platform));
             Ffmpeg.Run encoder = encode(server);
             HttpFlvTestClient viewer = new HttpFlvTestClient(server.httpUrl("/live/demo.flv"))) {
            JsonNode ended = await().atMost(Duration.ofSeconds(90)).until(() -> {
                JsonNode failed = hook(hooks, "recording.failed");
                return failed != null ? failed : hook(hooks, "recording.ready");
            }, h -> h != null);
            if (ended.get("action").asText().equals("recording.ready")) {
                assertTrue(ended.get("reason").asText().startsWith("writing failed"), ended.toString());
                assertEquals("", Mp4Probe.decodeErrors(Path.of(ended.get("path").asText())));
            } else {
                assertTrue(ended.get("error").asText().contains("space"), ended.toString());
                assertTrue(Files.exists(disk.resolve(ended.get("id").asText() + ".fmp4")), "the fragment file is kept");
            }
            JsonNode listed = recordings(server).get(0);
            assertTrue(List.of("ready", "failed").contains(listed.get("state").asText()), listed.toString());
            viewerGoesOn(viewer, encoder);
            assertEquals(1, recordings(server).size(), "no recording starts and fails again on the full disk");
            assertEquals(200, Http.get(server.httpUrl("/health/ready")).statusCode());
        } finally {
            platform.stop(0);
        }
    }

    /** The viewer keeps receiving media (a few seconds more) with no error, the encoder still connected. */
    private static void viewerGoesOn(HttpFlvTestClient viewer, Ffmpeg.Run encoder) {
        int seen = viewer.media().size();
        await().atMost(Duration.ofSeconds(30)).until(() -> viewer.media().size() >= seen + 300);
        assertNull(viewer.failure());
        assertTrue(encoder.alive(), encoder.output());
    }

    private static String config(Path disk, String minFree, HttpServer platform) {
        return "relay.recording { directory = \"" + disk + "\", min-free = " + minFree + ", check-interval = 200ms, grace = 2s }\n"
                + "relay.demo-room.record = true\nrelay.hls.enabled = false\n"
                + "relay.webhooks.on-recording = \"http://127.0.0.1:" + platform.getAddress().getPort() + "/recording\"\n";
    }

    /** The encoder: the sample clip looped at its own pace, until closed. */
    private static Ffmpeg.Run encode(TestServer server) throws IOException {
        return Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-stream_loop", "-1", "-i",
                SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", TestServer.KEY));
    }

    private static HttpServer platform(List<JsonNode> hooks) throws IOException {
        HttpServer platform = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        platform.createContext("/recording", exchange -> {
            hooks.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        platform.start();
        return platform;
    }

    private static JsonNode hook(List<JsonNode> hooks, String action) {
        return hooks.stream().filter(h -> h.get("action").asText().equals(action)).findFirst().orElse(null);
    }

    private static JsonNode recordings(TestServer server) throws Exception {
        return JSON.readTree(Http.get(server.httpUrl("/api/recordings")).body()).get("recordings");
    }

    /** A tmpfs of {@code size} mounted in the test's directory; skips the test (fails it under CI) without root. */
    private Path mount(String size) throws Exception {
        Requirements.tool("mount", "apt-get install mount");
        Requirements.require(output("id", "-u").equals("0"), "mounting a tmpfs needs root");
        Path point = Files.createDirectory(dir.resolve("disk"));
        String[] command = {"mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", point.toString()};
        if (run(command) != 0) {
            Requirements.unavailable("cannot mount a tmpfs here: " + output(command));
        }
        mounted = point;
        return point;
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static String output(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
