package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on a real server process: new connections stop, the live room keeps flowing, then a clean exit 0. */
class DrainEndToEndTest {

    @Test
    void sigtermDrainsLiveRoomsThenExitsZero(@TempDir Path dir) throws Exception {
        int rtmp = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        Path conf = dir.resolve("drain.conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + rtmp + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + http + " }\n"
                + "relay.demo-room.stream-name = drain-key-0123456789\n"
                + "relay.lifecycle.drain-timeout = 20s\n");
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
                assertEquals(0, ffmpeg.await(30), "the encoder finishes its stream");
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server exits once the room is over");
            assertEquals(0, server.exitValue(), Files.readString(log));
            List<String> lines = Files.readAllLines(log);
            assertTrue(lines.stream().anyMatch(l -> l.contains("draining")), "the log says what happened");
        } finally {
            server.destroyForcibly();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
