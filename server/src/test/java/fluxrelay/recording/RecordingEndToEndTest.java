package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.ServerProcess;
import fluxrelay.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server recording a real encoder (ffmpeg publishing the sample clip over RTMP): one file over a reconnect
 * within the grace period, announced by webhooks, listed and downloaded (whole and by range) through the admin API,
 * counted in the metrics; and a server process
 * killed with {@code kill -9} mid-recording, whose fragment file plays and is finalized at the next start.
 */
class RecordingEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "recording-key-0123456789";
    private static final String SECRET = "a-replay-secret-of-forty-characters-000";

    @Test
    void anEncoderReconnectingWithinTheGracePeriodGivesOneFileWithEveryFrame(@TempDir Path dir) throws Exception {
        List<JsonNode> hooks = new CopyOnWriteArrayList<>();
        HttpServer platform = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        platform.createContext("/recording", exchange -> {
            hooks.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        platform.start();
        try (TestServer server = TestServer.start("relay.recording { enabled = true, directory = \"" + dir.resolve("rec")
                + "\", grace = 4s, min-free = 0 }\nrelay.demo-room.record = true\nrelay.hls.enabled = false\n"
                + "relay.webhooks.on-recording = \"http://127.0.0.1:" + platform.getAddress().getPort() + "/recording\"\n"
                + "relay.access.secrets = [\"" + SECRET + "\"]\n")) {
            publishClip(server.rtmpUrl("live", TestServer.KEY));
            publishClip(server.rtmpUrl("live", TestServer.KEY)); // the encoder is back at once
            JsonNode recording = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> only(server.httpUrl("/api/rooms/demo/recordings")), r -> r.get("state").asText().equals("ready"));
            assertEquals(1, list(server.httpUrl("/api/recordings")).size(), "one session, one file");
            String id = recording.get("id").asText();
            assertEquals(List.of("avc1.64001f", "mp4a.40.2").size(), recording.get("codecs").size(), recording.toString());

            Path file = dir.resolve("download.mp4");
            HttpResponse<byte[]> whole = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.httpUrl("/api/recordings/" + id + "/file"))).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, whole.statusCode());
            assertEquals("video/mp4", whole.headers().firstValue("Content-Type").orElseThrow());
            Files.write(file, whole.body());
            assertEquals(recording.get("size").asLong(), whole.body().length);
            HttpResponse<byte[]> part = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server.httpUrl("/api/recordings/" + id + "/file"))).header("Range", "bytes=1000-300999").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, part.statusCode());
            assertEquals("bytes 1000-300999/" + whole.body().length, part.headers().firstValue("Content-Range").orElseThrow());
            assertArrayEquals(Arrays.copyOfRange(whole.body(), 1000, 301000), part.body());

            assertEquals(List.of("ftyp", "moov", "mdat"), Mp4Probe.topLevelBoxes(file));
            assertEquals("", Mp4Probe.decodeErrors(file));
            assertEquals(2 * RecorderTest.clipVideoFrames(), Mp4Probe.videoFrames(file), "every published video frame");
            assertEquals(2 * RecorderTest.clipVideoSeconds(), Mp4Probe.duration(file), 0.1,
                    "the clip twice, without the outage: " + Mp4Probe.streams(file));

            String metrics = Http.get(server.httpUrl("/metrics")).body();
            assertTrue(metrics.contains("\nfluxrelay_recording_in_progress 0.0\n"), metrics);
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("fluxrelay_recording_written_bytes_total ")
                    && Double.parseDouble(l.split(" ")[1]) >= whole.body().length), "bytes written counted");
            assertTrue(metrics.contains("\nfluxrelay_recording_failures_total 0.0\n"));
            assertTrue(metrics.contains("\nfluxrelay_recording_free_bytes "));
            assertTrue(metrics.contains("\nfluxrelay_recording_low_space_stops_total 0.0\n"));
            await().atMost(Duration.ofSeconds(10)).until(() -> hooks.size() == 2);
            assertEquals("recording.started", hooks.get(0).get("action").asText());
            assertEquals("recording.ready", hooks.get(1).get("action").asText());
            assertEquals(id, hooks.get(1).get("id").asText());
            assertEquals("demo", hooks.get(1).get("room").asText());
            assertTrue(hooks.get(1).get("path").asText().endsWith(id + ".mp4"), hooks.get(1).toString());
            assertEquals(recording.get("duration").asDouble(), hooks.get(1).get("duration_s").asDouble(), 1e-9);
            // the replay link: HLS VOD over the same media, every frame, refused without its token
            HttpResponse<String> replay = Http.get(server.httpUrl("/api/recordings/" + id + "/replay"));
            assertEquals(200, replay.statusCode(), replay.body());
            String url = server.httpUrl(JSON.readTree(replay.body()).get("url").asText());
            assertTrue(url.contains("/replay/" + id + "/index.m3u8?token="), url);
            HttpResponse<String> playlist = Http.get(url);
            assertEquals(200, playlist.statusCode(), playlist.body());
            assertTrue(playlist.body().contains("#EXT-X-PLAYLIST-TYPE:VOD") && playlist.body().contains("#EXT-X-ENDLIST"),
                    playlist.body());
            assertEquals(2 * RecorderTest.clipVideoFrames(), Mp4Probe.videoFrames(url), "the replay has every frame: "
                    + playlist.body());
            assertEquals("", Mp4Probe.decodeErrors(url));
            assertEquals(403, Http.get(url.replaceAll("token=[^&]*", "token=forged")).statusCode());
            assertEquals(403, Http.get(server.httpUrl("/replay/" + id + "/index.m3u8")).statusCode());

            assertEquals(404, Http.send("DELETE", server.httpUrl("/api/recordings/nope"), null, null).statusCode());
            assertEquals(200, Http.send("DELETE", server.httpUrl("/api/recordings/" + id), null, null).statusCode());
            assertEquals(0, list(server.httpUrl("/api/recordings")).size());
        } finally {
            platform.stop(0);
        }
    }

    @Test
    void afterKillNineTheFragmentFilePlaysAndTheNextStartFinalizesIt(@TempDir Path dir) throws Exception {
        int rtmp = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        Path recordings = dir.resolve("rec");
        Path conf = dir.resolve("relay.conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + rtmp + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + http + " }\n"
                + "relay.hls.enabled = false\n"
                + "relay.demo-room { stream-name = \"" + KEY + "\", record = true }\n"
                + "relay.recording { enabled = true, directory = \"" + recordings + "\", min-free = 0 }\n");
        String api = "http://127.0.0.1:" + http + "/api/recordings";
        Process server = ServerProcess.start(conf, dir.resolve("first.log"));
        Path fragments;
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> Http.get("http://127.0.0.1:" + http + "/health/ready").statusCode() == 200);
        try (Ffmpeg.Run encoder = Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-stream_loop", "-1", "-i",
                SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv",
                "rtmp://127.0.0.1:" + rtmp + "/live/" + KEY)) {
            JsonNode recording = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> only(api),
                    r -> r.get("state").asText().equals("recording"));
            fragments = recordings.resolve(recording.get("id").asText() + ".fmp4");
            await().atMost(Duration.ofSeconds(30)).until(() -> Mp4Probe.topLevelBoxes(fragments).stream()
                    .filter("moof"::equals).count() >= 4);
            server.destroyForcibly(); // kill -9 mid-recording
            assertTrue(server.waitFor(10, TimeUnit.SECONDS));
        } finally {
            server.destroyForcibly();
        }
        Path copy = Files.copy(fragments, dir.resolve("as-left.mp4"));
        int left = Mp4Probe.videoFrames(copy);
        assertTrue(left >= 60, "the fragment file plays up to its last fragment: " + left + " frames");

        Process restarted = ServerProcess.start(conf, dir.resolve("second.log"));
        try {
            JsonNode recording = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> only(api),
                    r -> r.get("state").asText().equals("ready"));
            assertTrue(recording.get("duration").asDouble() >= 2, recording.toString());
            Path mp4 = recordings.resolve(recording.get("id").asText() + ".mp4");
            assertEquals("", Mp4Probe.decodeErrors(mp4));
            int finalized = Mp4Probe.videoFrames(mp4);
            assertTrue(finalized >= 60 && finalized <= left, finalized + " frames finalized of " + left + " left");
            assertTrue(Files.notExists(fragments));
        } finally {
            restarted.destroy();
            if (!restarted.waitFor(30, TimeUnit.SECONDS)) {
                restarted.destroyForcibly();
            }
        }
    }

    /** Publishes the clip once at its own pace and waits for ffmpeg to finish. */
    private static void publishClip(String url) throws Exception {
        try (Ffmpeg.Run encoder = Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                "-c", "copy", "-f", "flv", url)) {
            assertEquals(0, encoder.await(60), encoder.output());
        }
    }

    private static JsonNode list(String url) throws Exception {
        HttpResponse<String> answer = Http.get(url);
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("recordings");
    }

    /** The one recording listed (fails while there is none or more). */
    private static JsonNode only(String url) throws Exception {
        JsonNode all = list(url);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }
}
