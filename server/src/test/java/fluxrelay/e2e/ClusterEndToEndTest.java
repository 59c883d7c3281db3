package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.ClusterNode;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RedisServer;
import fluxrelay.testing.SampleMedia;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on one real redis-server: a room created on one node is known to the other within a second
 * and takes a publish there; both list each other; with Redis stopped, admin writes answer 503 while publishing to
 * known rooms goes on; with Redis back, writes work again.
 */
class ClusterEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STAGE_KEY = "stage-key-0123456789abcdef";
    private static final String HALL_KEY = "hall-key-0123456789abcdef";

    private static final String SECRET = "cluster-secret-for-tests-0123456789";

    private static ClusterNode start(Path dir, String id, RedisServer redis) throws Exception {
        return ClusterNode.start(dir, id, redis, SECRET, "relay.hls.enabled = false\n"
                + "relay.demo-room.enabled = false\n"
                + "relay.admin.rate-limit-per-minute = 100000\n"
                + "relay.cluster { heartbeat-interval = 300ms, lease-ttl = 2s }");
    }

    private static HttpResponse<String> create(ClusterNode node, String id, String key) throws Exception {
        return Http.send("POST", node.url("/api/rooms"), "{\"id\":\"" + id + "\",\"app\":\"live\",\"streamName\":\"" + key + "\"}", null);
    }

    private static boolean publishing(ClusterNode node, String room) throws Exception {
        HttpResponse<String> answer = Http.get(node.url("/api/rooms/" + room));
        return answer.statusCode() == 200 && JSON.readTree(answer.body()).get("publishing").asBoolean();
    }

    private static Set<String> nodeIds(ClusterNode node) throws Exception {
        HttpResponse<String> answer = Http.get(node.url("/api/cluster/nodes"));
        assertEquals(200, answer.statusCode(), answer.body());
        Set<String> ids = new HashSet<>();
        for (JsonNode n : JSON.readTree(answer.body()).get("nodes")) {
            ids.add(n.get("id").asText());
            assertEquals("127.0.0.1", n.get("address").get("host").asText());
        }
        return ids;
    }

    @Test
    void twoNodesShareRoomsAndKeepStreamingWhileRedisIsDown(@TempDir Path dir) throws Exception {
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"), true);
                ClusterNode a = start(dir, "node-a", redis);
                ClusterNode b = start(dir, "node-b", redis)) {

            assertEquals(201, create(a, "stage", STAGE_KEY).statusCode());
            long created = System.nanoTime();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Http.get(b.url("/api/rooms/stage")).statusCode() == 200);
            System.out.printf("cluster: a room created on node A was listed by node B after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created));
            assertEquals(201, create(b, "hall", HALL_KEY).statusCode());
            await().atMost(Duration.ofSeconds(1)).until(() -> Http.get(a.url("/api/rooms/hall")).statusCode() == 200);

            await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> nodeIds(a).equals(Set.of("node-a", "node-b")) && nodeIds(b).equals(Set.of("node-a", "node-b")));
            assertEquals(200, Http.get(a.url("/health/cluster")).statusCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(b.url("/metrics")).body().contains("fluxrelay_cluster_nodes 2.0"));
            String metrics = Http.get(b.url("/metrics")).body();
            assertTrue(metrics.contains("fluxrelay_cluster_redis_command_seconds_count"), metrics);
            assertTrue(metrics.contains("fluxrelay_cluster_redis_errors_total"), metrics);

            try (Ffmpeg.Run onB = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    b.rtmpUrl(STAGE_KEY))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> publishing(b, "stage"));

                redis.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(a.url("/health/cluster")).statusCode() == 503);
                assertTrue(Http.get(a.url("/health/cluster")).body().contains("degraded: store unreachable"));
                assertEquals(200, Http.get(a.url("/health/ready")).statusCode(), "ready stays true for serving");
                HttpResponse<String> refused = create(a, "late", "late-key-0123456789abcdef");
                assertEquals(503, refused.statusCode(), refused.body());
                assertTrue(refused.body().contains("unreachable"), refused.body());
                assertEquals(503, Http.send("DELETE", a.url("/api/rooms/stage"), null, null).statusCode());
                assertTrue(Http.get(a.url("/metrics")).body().contains("fluxrelay_cluster_store_reachable 0.0"));

                // A known room takes a publish while Redis is away, and the live one goes on.
                try (Ffmpeg.Run onA = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f",
                        "flv", a.rtmpUrl(HALL_KEY))) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> publishing(a, "hall"));
                    assertTrue(publishing(b, "stage"));
                    assertTrue(onB.alive() && onA.alive());

                    redis.start();
                    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                            .until(() -> create(a, "late", "late-key-0123456789abcdef").statusCode() == 201);
                    await().atMost(Duration.ofSeconds(1)).until(() -> Http.get(b.url("/api/rooms/late")).statusCode() == 200);
                    assertEquals(200, Http.get(a.url("/health/cluster")).statusCode());
                    assertTrue(publishing(a, "hall") && publishing(b, "stage"), "Redis returning ends no publish");
                }
            }
        }
    }
}
