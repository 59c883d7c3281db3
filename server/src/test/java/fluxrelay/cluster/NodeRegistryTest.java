package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.config.ClusterConfig;
import fluxrelay.testing.RedisServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeats in a real Redis: live nodes are listed with their figures; a silent node is gone after three beats. */
class NodeRegistryTest {

    private static final Duration BEAT = Duration.ofMillis(200);

    @Test
    void liveNodesAreListedAndASilentOneDisappears(@TempDir Path dir) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(dir)) {
            AtomicLong bytes = new AtomicLong();
            NodeRegistry a = registry(redis, "node-a", bytes, open);
            NodeRegistry b = registry(redis, "node-b", new AtomicLong(), open);
            a.start(new NodeInfo.Address("10.0.0.1", 1935, 8080));
            b.start(new NodeInfo.Address("10.0.0.2", 1936, 8081));
            await().atMost(Duration.ofSeconds(5)).until(() -> a.list().get(1, TimeUnit.SECONDS).size() == 2 && a.knownNodes() == 2);
            NodeInfo seen = b.find("node-a").get(1, TimeUnit.SECONDS).orElseThrow();
            assertEquals(new NodeInfo.Address("10.0.0.1", 1935, 8080), seen.address());
            assertEquals(3, seen.viewers());
            bytes.addAndGet(10_000_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> b.find("node-a").get(1, TimeUnit.SECONDS).orElseThrow().egressMbps() > 0);

            // node-b goes silent without saying goodbye (as a killed process): its key expires after three beats.
            RedisLink bLink = (RedisLink) open.get(1);
            bLink.close();
            long silentSince = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> a.list().get(1, TimeUnit.SECONDS).stream().map(NodeInfo::id).toList()
                    .equals(List.of("node-a")));
            assertTrue(System.nanoTime() - silentSince >= BEAT.toNanos(), "gone only after its heartbeats stopped");
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    @Test
    void eachNodeSeesTheRenditionsTheOtherNodesMake(@TempDir Path dir) throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(dir)) {
            NodeRegistry origin = registry(redis, "node-a", new AtomicLong(), Map.of("gala", Map.of("180p", 700_000L, "360p", 0L)), open);
            NodeRegistry edge = registry(redis, "node-b", new AtomicLong(), Map.of(), open);
            origin.start(new NodeInfo.Address("10.0.0.1", 1935, 8080));
            edge.start(new NodeInfo.Address("10.0.0.2", 1936, 8081));

            await().atMost(Duration.ofSeconds(5)).until(() -> !edge.renditions("gala").isEmpty());
            assertEquals(Map.of("180p", 700_000L, "360p", 0L), edge.renditions("gala"));
            assertEquals(Map.of(), edge.renditions("other"));
            assertEquals(Map.of(), origin.renditions("gala"), "a node's own renditions are its hubs', not the heartbeat's");

            // The origin goes away: its renditions go with its heartbeat.
            origin.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> edge.renditions("gala").isEmpty());
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
    }

    private static NodeRegistry registry(RedisServer redis, String id, AtomicLong bytes, List<AutoCloseable> open) {
        return registry(redis, id, bytes, Map.of(), open);
    }

    private static NodeRegistry registry(RedisServer redis, String id, AtomicLong bytes, Map<String, Map<String, Long>> renditions,
                                         List<AutoCloseable> open) {
        RedisLink link = new RedisLink(new ClusterConfig(true, id, "127.0.0.1", redis.uri(), "", "s".repeat(32), BEAT,
                Duration.ofSeconds(1), Duration.ofSeconds(30)));
        open.add(link);
        assertTrue(link.start());
        return new NodeRegistry(link, id, BEAT, new NodeRegistry.Load() {
            @Override
            public long viewers() {
                return 3;
            }

            @Override
            public long egressBytes() {
                return bytes.get();
            }

            @Override
            public int roomsOriginated() {
                return 0;
            }

            @Override
            public Map<String, Map<String, Long>> renditions() {
                return renditions;
            }
        }, Clock.systemUTC());
    }
}
