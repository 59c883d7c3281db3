package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RedisServer;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.ServerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
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

    /** One node: its ports and process. */
    private record Node(String id, int rtmp, int http, Process process) {
        String url(String path) {
            return "http://127.0.0.1:" + http + path;
        }

        String rtmpUrl(String key) {
            return "rtmp://127.0.0.1:" + rtmp + "/live/" + key;
        }
    }

    private static Node start(Path dir, String id, RedisServer redis) throws Exception {
        int rtmp = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        Path conf = dir.resolve(id + ".conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + rtmp + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + http + " }\n"
                + "relay.hls.enabled = false\n"
                + "relay.demo-room.enabled = false\n"
                + "relay.admin.rate-limit-per-minute = 100000\n"
                + "relay.cluster { enabled = true, node-id = " + id + ", advertise-host = 127.0.0.1, redis-uri = \"" + redis.uri()
                + "\", secret = \"cluster-secret-for-tests-0123456789\", heartbeat-interval = 300ms, lease-ttl = 2s }\n");
        Process process = ServerProcess.start(conf, dir.resolve(id + ".log"));
        Node node = new Node(id, rtmp, http, process);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Http.get(node.url("/health/ready")).statusCode() == 200);
        return node;
    }

    private static void stop(Node node) throws InterruptedException {
        if (node != null) {
            node.process().destroy();
            if (!node.process().waitFor(20, TimeUnit.SECONDS)) {
                node.process().destroyForcibly();
                node.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static HttpResponse<String> create(Node node, String id, String key) throws Exception {
        return Http.send("POST", node.url("/api/rooms"), "{\"id\":\"" + id + "\",\"app\":\"live\",\"streamName\":\"" + key + "\"}", null);
    }

    private static boolean publishing(Node node, String room) throws Exception {
        HttpResponse<String> answer = Http.get(node.url("/api/rooms/" + room));
        return answer.statusCode() == 200 && JSON.readTree(answer.body()).get("publishing").asBoolean();
    }

    private static Set<String> nodeIds(Node node) throws Exception {
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
        Node a = null;
        Node b = null;
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"), true)) {
            a = start(dir, "node-a", redis);
            b = start(dir, "node-b", redis);
            Node nodeA = a;
            Node nodeB = b;

            assertEquals(201, create(a, "stage", STAGE_KEY).statusCode());
            long created = System.nanoTime();
            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Http.get(nodeB.url("/api/rooms/stage")).statusCode() == 200);
            System.out.printf("cluster: a room created on node A was listed by node B after %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - created));
            assertEquals(201, create(b, "hall", HALL_KEY).statusCode());
            await().atMost(Duration.ofSeconds(1)).until(() -> Http.get(nodeA.url("/api/rooms/hall")).statusCode() == 200);

            await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> nodeIds(nodeA).equals(Set.of("node-a", "node-b")) && nodeIds(nodeB).equals(Set.of("node-a", "node-b")));
            assertEquals(200, Http.get(a.url("/health/cluster")).statusCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(nodeB.url("/metrics")).body().contains("fluxrelay_cluster_nodes 2.0"));
            String metrics = Http.get(b.url("/metrics")).body();
            assertTrue(metrics.contains("fluxrelay_cluster_redis_command_seconds_count"), metrics);
            assertTrue(metrics.contains("fluxrelay_cluster_redis_errors_total"), metrics);

            try (Ffmpeg.Run onB = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    b.rtmpUrl(STAGE_KEY))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> publishing(nodeB, "stage"));

                redis.stop();
                await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(nodeA.url("/health/cluster")).statusCode() == 503);
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
                    await().atMost(Duration.ofSeconds(20)).until(() -> publishing(nodeA, "hall"));
                    assertTrue(publishing(b, "stage"));
                    assertTrue(onB.alive() && onA.alive());

                    redis.start();
                    await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                            .until(() -> create(nodeA, "late", "late-key-0123456789abcdef").statusCode() == 201);
                    await().atMost(Duration.ofSeconds(1)).until(() -> Http.get(nodeB.url("/api/rooms/late")).statusCode() == 200);
                    assertEquals(200, Http.get(a.url("/health/cluster")).statusCode());
                    assertTrue(publishing(a, "hall") && publishing(b, "stage"), "Redis returning ends no publish");
                }
            }
        } finally {
            stop(a);
            stop(b);
        }
    }
}
