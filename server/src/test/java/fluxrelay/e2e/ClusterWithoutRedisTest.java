package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.cluster.RedisLink;
import fluxrelay.cluster.RoomImport;
import fluxrelay.config.ClusterConfig;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.testing.Http;
import fluxrelay.testing.RedisServer;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.ClusterNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node started while its Redis is down: it starts and is ready for serving, says it is degraded, answers
 * admin writes 503 and refuses publishes for rooms it has not loaded saying why; once Redis is back it loads the
 * rooms (those stored before Redis went down) and takes a publish.
 */
class ClusterWithoutRedisTest {

    private static final String KEY = "stage-key-0123456789abcdef";

    @Test
    void aNodeStartsWithoutRedisAndLoadsTheRoomsWhenItComes(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"), true)) {
            seed(redis);
            redis.stop();

            // Started while Redis is down: ready for serving all the same.
            try (ClusterNode node = ClusterNode.start(dir, "lonely", redis, "cluster-secret-for-tests-0123456789",
                    "relay.hls.enabled = false\nrelay.demo-room.enabled = false\n"
                            + "relay.cluster { heartbeat-interval = 300ms, lease-ttl = 2s }")) {
                int rtmp = node.rtmp();
                String base = node.url("");

                HttpResponse<String> cluster = Http.get(base + "/health/cluster");
                assertEquals(503, cluster.statusCode());
                assertTrue(cluster.body().contains("degraded"), cluster.body());
                HttpResponse<String> write = Http.send("POST", base + "/api/rooms",
                        "{\"id\":\"hall\",\"app\":\"live\",\"streamName\":\"hall-key-0123456789abcdef\"}", null);
                assertEquals(503, write.statusCode(), write.body());
                assertTrue(write.body().contains("unreachable"), write.body());
                try (RtmpTestClient encoder = RtmpTestClient.connect("127.0.0.1", rtmp, "live")) {
                    encoder.publish(KEY);
                    CommandMessage refused = encoder.awaitStatus(StatusCodes.PUBLISH_BAD_NAME, Duration.ofSeconds(10));
                    assertTrue(refused.toString().contains("not loaded its rooms yet"), refused.toString());
                }

                redis.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(base + "/api/rooms/stage").statusCode() == 200);
                await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(base + "/health/cluster").statusCode() == 200);
                try (RtmpTestClient encoder = RtmpTestClient.connect("127.0.0.1", rtmp, "live")) {
                    encoder.publish(KEY);
                    encoder.awaitStatus(StatusCodes.PUBLISH_START, Duration.ofSeconds(10));
                }
                await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
                        .until(() -> Http.get(base + "/api/cluster/nodes").body().contains("\"lonely\""));
            }
        }
    }

    /** Stores room "stage" in Redis, as another node's admin would have. */
    private static void seed(RedisServer redis) throws Exception {
        ClusterConfig config = new ClusterConfig(true, "seeder", "127.0.0.1", redis.uri(), "", "s".repeat(32), Duration.ofMillis(300),
                Duration.ofSeconds(2), Duration.ofSeconds(30));
        try (RedisLink link = new RedisLink(config)) {
            assertTrue(link.start());
            Room stage = new Room("stage", "Stage", "live", List.of(new Feed(Feed.MAIN, KEY)), true);
            assertEquals(List.of("stage"), RoomImport.run(link, List.of(stage), Map.of()).imported());
        }
    }
}
