package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RedisServer;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster-wide viewer counts in the admin API, with two relay processes on one real redis-server: an encoder on A,
 * an RTMP viewer and an HLS player on B. A's room view counts B's viewers (by node and protocol), names A as the
 * origin, and does not count B's pull from A as a viewer; when B's viewer leaves, A's view shows it gone.
 */
class ClusterViewerCountsTest {

    private static final String KEY = "counts-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Node(String id, int rtmp, int http) {
        String url(String path) {
            return "http://127.0.0.1:" + http + path;
        }
    }

    private static Node start(Path dir, String id, RedisServer redis, List<AutoCloseable> cleanup) throws Exception {
        Node node = new Node(id, ServerProcess.freePort(), ServerProcess.freePort());
        Path conf = dir.resolve(id + ".conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + node.rtmp() + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + node.http() + " }\n"
                + "relay.demo-room.enabled = false\n"
                + "relay.admin.rate-limit-per-minute = 100000\n"
                + "relay.cluster { enabled = true, node-id = " + id + ", advertise-host = 127.0.0.1, redis-uri = \"" + redis.uri()
                + "\", secret = \"cluster-secret-for-tests-0123456789\", heartbeat-interval = 300ms, lease-ttl = 2s }\n");
        Process process = ServerProcess.start(conf, dir.resolve(id + ".log"));
        cleanup.add(() -> {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        });
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Http.get(node.url("/health/ready")).statusCode() == 200);
        return node;
    }

    private static JsonNode room(Node node) throws Exception {
        var answer = Http.get(node.url("/api/rooms/stage"));
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    @Test
    void aViewerOnOneNodeIsCountedInTheOtherNodesRoomViewAndThePullIsNot(@TempDir Path dir) throws Exception {
        List<AutoCloseable> cleanup = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            Node a = start(dir, "node-a", redis, cleanup);
            Node b = start(dir, "node-b", redis, cleanup);
            assertEquals(201, Http.send("POST", a.url("/api/rooms"), "{\"id\":\"stage\",\"streamName\":\"" + KEY + "\"}", null)
                    .statusCode());
            Ffmpeg.Run encoder = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                    "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:" + a.rtmp() + "/live/" + KEY);
            cleanup.add(encoder);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "node-a".equals(room(a).path("originNode").asText(null)));

            RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", b.rtmp(), "live");
            cleanup.add(viewer);
            viewer.play("stage");
            await().atMost(Duration.ofSeconds(15)).until(() -> viewer.received().stream().anyMatch(RtmpTestClient.Received::keyframe));
            // An HLS player on B: its requests go on to A, which must count them as B's player, not its own.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> Http.get(b.url("/hls/stage/index.m3u8")).statusCode() == 200);

            await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                JsonNode view = room(a);
                JsonNode onB = view.get("viewersByNode").get("node-b");
                assertEquals(1, onB.get("rtmp").asInt(), view.toString());
                assertEquals(1, onB.get("hls").asInt(), view.toString());
                assertEquals(2, onB.get("total").asInt(), view.toString());
                assertEquals(0, view.get("viewersByNode").get("node-a").get("total").asInt(), "B's pull is no viewer: " + view);
                assertEquals(2, view.get("viewers").get("total").asInt(), view.toString());
                assertEquals(1, view.get("viewers").get("rtmp").asInt(), view.toString());
                assertEquals("node-a", view.get("originNode").asText(), view.toString());
            });
            JsonNode fromB = room(b);
            assertEquals("node-a", fromB.get("originNode").asText(), fromB.toString());
            assertTrue(fromB.get("viewers").get("total").asInt() >= 1, fromB.toString());

            cleanup.remove(viewer);
            viewer.close();
            await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> room(a).get("viewersByNode").get("node-b").get("rtmp").asInt() == 0);
        } finally {
            for (int i = cleanup.size() - 1; i >= 0; i--) {
                cleanup.get(i).close();
            }
        }
    }
}
