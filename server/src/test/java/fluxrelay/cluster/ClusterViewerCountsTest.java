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
import fluxrelay.testing.ClusterNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private static ClusterNode start(Path dir, String id, RedisServer redis, List<AutoCloseable> cleanup) throws Exception {
        ClusterNode node = ClusterNode.configure(dir, id, redis, "cluster-secret-for-tests-0123456789",
                "relay.demo-room.enabled = false\nrelay.admin.rate-limit-per-minute = 100000\n"
                        + "relay.cluster { heartbeat-interval = 300ms, lease-ttl = 2s }");
        cleanup.add(node);
        return node.start();
    }

    private static JsonNode room(ClusterNode node) throws Exception {
        var answer = Http.get(node.url("/api/rooms/stage"));
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    @Test
    void aViewerOnOneNodeIsCountedInTheOtherNodesRoomViewAndThePullIsNot(@TempDir Path dir) throws Exception {
        List<AutoCloseable> cleanup = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            ClusterNode a = start(dir, "node-a", redis, cleanup);
            ClusterNode b = start(dir, "node-b", redis, cleanup);
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
            // Nor in A's metrics or viewer list: only people are viewers.
            assertTrue(a.metrics().contains("fluxrelay_viewers{protocol=\"rtmp\",room=\"stage\"} 0.0"), a.metrics());
            assertEquals("[]", JSON.readTree(Http.get(a.url("/api/rooms/stage/viewers")).body()).path("viewers").toString());
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
