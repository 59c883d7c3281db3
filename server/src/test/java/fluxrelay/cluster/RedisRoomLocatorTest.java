package fluxrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.config.ClusterConfig;
import fluxrelay.rooms.RoomLocator.Origin;
import fluxrelay.stream.FeedId;
import fluxrelay.testing.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locating a feed's origin against a real redis-server. {@code locate} answers from what was looked up, so a node that
 * never asked about a feed says "nowhere" once; {@code refresh}, which the admin room views wait for, looks up first.
 */
class RedisRoomLocatorTest {

    @TempDir
    static Path redisDir;
    private static RedisServer redis;
    private static RedisCommands<String, String> sync;
    private static RedisLink link;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(redisDir);
        sync = redis.connect().sync();
        link = new RedisLink(new ClusterConfig(true, "b", "127.0.0.1", redis.uri(), "", "s".repeat(32),
                Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(30)));
        assertTrue(link.start());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        link.close();
        redis.close();
    }

    private static RedisRoomLocator locator() {
        return new RedisRoomLocator(link, "b", room -> List.of(FeedId.MAIN, "cam2"));
    }

    @Test
    void afterARefreshTheFirstAnswerNamesTheNodeHoldingTheLease() throws Exception {
        sync.set(LeaseKeys.lease(new FeedId("stage", "main")), "a|10.0.0.1:1935|7");
        RedisRoomLocator locator = locator();

        locator.refresh("stage", List.of("main", "cam2")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(new Origin.Elsewhere("a", "10.0.0.1:1935"), locator.locate("stage", "main"));
        assertInstanceOf(Origin.Nowhere.class, locator.locate("stage", "cam2"), "no lease: nobody publishes it");
    }

    @Test
    void withoutARefreshTheFirstAnswerIsNowhereAndALaterOneFindsTheLease() throws Exception {
        sync.set(LeaseKeys.lease(new FeedId("hall", "main")), "b|10.0.0.2:1935|3");
        RedisRoomLocator locator = locator();

        assertInstanceOf(Origin.Nowhere.class, locator.locate("hall", "main"), "nothing looked up yet");
        locator.refresh("hall", List.of("main")).toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertInstanceOf(Origin.Here.class, locator.locate("hall", "main"), "this node's own lease");
    }
}
