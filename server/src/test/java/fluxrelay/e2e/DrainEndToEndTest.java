package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.Http;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a real server process: new connections and new HTTP viewers are refused, the live room keeps flowing to
 * the viewers already there (HLS included) and metrics stay readable, then a clean exit 0 that leaves ended playlists
 * of both HLS renditions in the directory, listing only files that are there.
 */
class DrainEndToEndTest {

    private static final String PLAYING = "a player already playing";

    @Test
    void sigtermDrainsLiveRoomsThenExitsZero(@TempDir Path dir) throws Exception {
        int rtmp = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        Path conf = dir.resolve("drain.conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + rtmp + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + http + " }\n"
                + "relay.demo-room.stream-name = drain-key-0123456789\n"
                + "relay.lifecycle.drain-timeout = 20s\n"
                + "relay.hls.directory = \"" + dir.resolve("hls") + "\"\n");
        Path log = dir.resolve("server.log");
        Process server = ServerProcess.start(conf, log);
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> Http.get("http://127.0.0.1:" + http + "/health/ready").statusCode() == 200);
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    "rtmp://127.0.0.1:" + rtmp + "/live/drain-key-0123456789");
                 RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", rtmp, "live")) {
                viewer.play("demo");
                await().atMost(Duration.ofSeconds(20)).until(() -> viewer.received().size() > 30);
                HlsTestClient hls = new HlsTestClient("http://127.0.0.1:" + http + "/hls/demo/");
                await().atMost(Duration.ofSeconds(20)).until(() -> hls.get("ll.m3u8", "User-Agent", PLAYING).statusCode() == 200
                        && hls.get("stream.m3u8", "User-Agent", PLAYING).statusCode() == 200);

                server.destroy(); // SIGTERM
                await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                        .until(() -> Http.get("http://127.0.0.1:" + http + "/health/ready").statusCode() == 503);
                int before = viewer.received().size();
                await().atMost(Duration.ofSeconds(10)).until(() -> viewer.received().size() > before + 30);
                assertTrue(server.isAlive(), "still serving the live room while draining");
                boolean refused;
                try (RtmpTestClient late = RtmpTestClient.connect("127.0.0.1", rtmp, "live")) {
                    refused = false;
                } catch (Exception e) {
                    refused = true;
                }
                assertTrue(refused, "no new connections while draining");
                assertEquals(200, hls.get("stream.m3u8", "User-Agent", PLAYING).statusCode(), "an HLS player playing goes on");
                assertEquals(200, hls.get("ll.m3u8", "User-Agent", PLAYING).statusCode());
                HttpResponse<byte[]> late = hls.get("index.m3u8", "User-Agent", "a new player");
                assertEquals(503, late.statusCode(), "a new HLS player is sent elsewhere");
                assertTrue(late.headers().firstValue("retry-after").isPresent());
                assertEquals(503, Http.get("http://127.0.0.1:" + http + "/live/demo.flv").statusCode(), "so is a new HTTP-FLV one");
                assertEquals(200, Http.get("http://127.0.0.1:" + http + "/metrics").statusCode(), "metrics stay readable");
                assertEquals(0, ffmpeg.await(30), "the encoder finishes its stream");
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server exits once the room is over");
            assertEquals(0, server.exitValue(), Files.readString(log));
            List<String> lines = Files.readAllLines(log);
            assertTrue(lines.stream().anyMatch(l -> l.contains("draining")), "the log says what happened");
            Path folder = dir.resolve("hls").resolve("demo");
            for (String playlist : List.of("stream.m3u8", "ll.m3u8")) {
                String text = Files.readString(folder.resolve(playlist));
                assertTrue(text.endsWith("#EXT-X-ENDLIST\n"), playlist + " ends:\n" + text);
                for (String line : text.split("\n")) {
                    String uri = line.startsWith("#EXT-X-MAP:URI=\"") ? line.substring(15, line.indexOf('"', 15))
                            : line.isEmpty() || line.startsWith("#") ? null : line;
                    if (uri != null) {
                        assertTrue(Files.exists(folder.resolve(uri)), playlist + " lists " + uri + ", which must be there");
                    }
                }
            }
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
