package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.ingest.PublishLeases;
import fluxrelay.stream.FeedId;
import fluxrelay.testing.RedisServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each room's HLS position against a real redis-server: written with an expiry by the origin, read by the node granted
 * the feed's lease before the grant reaches the caller, nothing read when the grant is refused or no record exists.
 */
class RedisHlsPositionsTest {

    @TempDir
    static Path redisDir;
    private static RedisServer redis;
    private static RedisCommands<String, String> sync;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(redisDir);
        sync = redis.connect().sync();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        links.forEach(RedisLink::close);
        redis.close();
    }

    private static final java.util.List<RedisLink> links = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static RedisHlsPositions node(String id) {
        RedisLink link = new RedisLink(new fluxrelay.config.ClusterConfig(true, id, "127.0.0.1", redis.uri(), "", "s".repeat(32),
                Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(30)));
        links.add(link);
        assertTrue(link.start(), "connected to Redis");
        return new RedisHlsPositions(link, id, Duration.ofMinutes(5));
    }

    private static PublishLeases granting() {
        return feed -> CompletableFuture.completedFuture(new PublishLeases.Acquisition.Granted(PublishLeases.Lease.LOCAL));
    }

    @Test
    void theOriginsPositionReachesTheNodeGrantedTheFeed() throws Exception {
        FeedId feed = new FeedId("keynote", "main");
        RedisHlsPositions a = node("node-a");
        a.reached(feed, "ts", new RedisHlsPositions.Position(41, 2), "abcd1234-");
        a.reached(feed, "fmp4", new RedisHlsPositions.Position(40, 2), "abcd1234-");
        String key = RedisHlsPositions.key(feed);
        await().atMost(Duration.ofSeconds(5)).until(() -> "40".equals(sync.hget(key, "fmp4.msn")));
        assertEquals("node-a", sync.hget(key, "node"));
        assertEquals("abcd1234-", sync.hget(key, "prefix"));
        long ttl = sync.pttl(key);
        assertTrue(ttl > 0 && ttl <= Duration.ofMinutes(5).toMillis(), "expires: " + ttl);

        RedisHlsPositions b = node("node-b");
        assertEquals(Optional.empty(), b.start(feed, "ts"), "nothing read before a grant");
        PublishLeases.Acquisition granted = b.leases(granting()).acquire(feed).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertInstanceOf(PublishLeases.Acquisition.Granted.class, granted);
        assertEquals(Optional.of(new RedisHlsPositions.Position(41, 2)), b.start(feed, "ts"));
        assertEquals(Optional.of(new RedisHlsPositions.Position(40, 2)), b.start(feed, "fmp4"));
    }

    @Test
    void aRefusedGrantReadsNothingAndAFeedWithoutRecordStartsAfresh() throws Exception {
        FeedId feed = new FeedId("workshop", "main");
        node("node-a").reached(feed, "ts", new RedisHlsPositions.Position(7, 0), "zzzz0000-");
        await().atMost(Duration.ofSeconds(5)).until(() -> "7".equals(sync.hget(RedisHlsPositions.key(feed), "ts.msn")));
        RedisHlsPositions b = node("node-b");
        PublishLeases held = f -> CompletableFuture.completedFuture(new PublishLeases.Acquisition.Held("node-a"));
        assertInstanceOf(PublishLeases.Acquisition.Held.class, b.leases(held).acquire(feed).toCompletableFuture().get(5, TimeUnit.SECONDS));
        assertEquals(Optional.empty(), b.start(feed, "ts"));

        FeedId fresh = new FeedId("never-packaged", "main");
        b.leases(granting()).acquire(fresh).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(Optional.empty(), b.start(fresh, "ts"));
    }
}
