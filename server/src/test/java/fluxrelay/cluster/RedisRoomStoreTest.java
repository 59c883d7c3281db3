package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.admin.AdminException;
import fluxrelay.admin.BandwidthChoice;
import fluxrelay.config.ClusterConfig;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.testing.RedisServer;
import io.lettuce.core.KillArgs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes' room stores on one real redis-server: changes travel by pub/sub, reconnects reload, outages refuse writes. */
class RedisRoomStoreTest {

    @TempDir
    Path dir;

    private RedisServer redis;
    private final List<RedisLink> links = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start(dir.resolve("redis"));
    }

    @AfterEach
    void stop() throws Exception {
        links.forEach(RedisLink::close);
        redis.close();
    }

    private ClusterConfig config(String node) {
        return new ClusterConfig(true, node, "127.0.0.1", redis.uri(), "", "s".repeat(32), Duration.ofMillis(200),
                Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    /** A node's store, connected and loaded. */
    private RedisRoomStore node(String id, AtomicInteger reloads) throws Exception {
        RedisLink link = new RedisLink(config(id));
        links.add(link);
        RedisRoomStore store = new RedisRoomStore(link, new InMemoryRoomRegistry(List.of()));
        store.onReload(reloads::incrementAndGet);
        assertTrue(link.start());
        await().atMost(Duration.ofSeconds(5)).until(() -> reloads.get() > 0);
        return store;
    }

    private static Room room(String id, String key) {
        return new Room(id, "Room " + id, "live", List.of(new Feed(Feed.MAIN, key), new Feed("backup", key + "-backup")), true);
    }

    @Test
    void eachNodeSeesTheOthersWritesWithinOneSecond() throws Exception {
        RedisRoomStore a = node("a", new AtomicInteger());
        RedisRoomStore b = node("b", new AtomicInteger());
        Room keynote = room("keynote", "keynote-key-0123456789");
        a.save(keynote, new BandwidthChoice(2.5, "warn")).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(1)).until(() -> b.findById("keynote").isPresent());
        assertEquals(keynote, b.findById("keynote").orElseThrow());
        assertEquals(new BandwidthChoice(2.5, "warn"), b.own("keynote"));
        assertEquals("keynote", b.findBinding("live", "keynote-key-0123456789-backup").orElseThrow().room().id());

        Room renamed = new Room("keynote", "Opening keynote", "live", keynote.feeds(), false);
        b.save(renamed, BandwidthChoice.NONE).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(1)).until(() -> a.findById("keynote").map(r -> !r.autoLive()).orElse(false));
        assertEquals("Opening keynote", a.findById("keynote").orElseThrow().title());
        assertEquals(BandwidthChoice.NONE, a.own("keynote"));

        a.delete("keynote").get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(1)).until(() -> b.findById("keynote").isEmpty());
    }

    @Test
    void twoNodesCreatingTheSameRoomGetOneRoomAndOneConflict() throws Exception {
        RedisRoomStore a = node("a", new AtomicInteger());
        RedisRoomStore b = node("b", new AtomicInteger());
        var first = a.create(room("gala", "gala-key-a-0123456789"), BandwidthChoice.NONE);
        var second = b.create(room("gala", "gala-key-b-0123456789"), BandwidthChoice.NONE);
        List<Throwable> failures = new ArrayList<>();
        for (var attempt : List.of(first, second)) {
            try {
                attempt.join();
            } catch (CompletionException e) {
                failures.add(e.getCause());
            }
        }
        assertEquals(1, failures.size(), "exactly one create wins");
        assertEquals(409, assertInstanceOf(AdminException.class, failures.get(0)).status());
        String winner = first.isCompletedExceptionally() ? "gala-key-b-0123456789" : "gala-key-a-0123456789";
        await().atMost(Duration.ofSeconds(1)).until(() -> a.findById("gala").map(r -> r.streamName().equals(winner)).orElse(false)
                && b.findById("gala").map(r -> r.streamName().equals(winner)).orElse(false));
    }

    @Test
    void aReconnectingNodeReloadsWhatItMissed() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        RedisRoomStore b = node("b", reloads);
        RedisLink writer = new RedisLink(config("writer"));
        links.add(writer);
        assertTrue(writer.start());
        // A change b cannot hear of: written without an announcement.
        String json = StoredRoom.of(room("missed", "missed-key-0123456789"), BandwidthChoice.NONE).json();
        writer.call(c -> c.hset(RedisRoomStore.ROOMS, "missed", json)).get(5, TimeUnit.SECONDS);
        assertTrue(b.findById("missed").isEmpty());
        int before = reloads.get();
        // Redis drops every other client's connections: b reconnects and reads everything again.
        writer.call(c -> c.clientKill(KillArgs.Builder.typeNormal())).get(5, TimeUnit.SECONDS);
        writer.call(c -> c.clientKill(KillArgs.Builder.typePubsub())).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> reloads.get() > before && b.findById("missed").isPresent());
    }

    @Test
    void whileRedisIsDownWritesFailAndChangeNothingThenTheNodeReloads() throws Exception {
        AtomicInteger reloadsA = new AtomicInteger();
        RedisRoomStore a = node("a", reloadsA);
        RedisRoomStore b = node("b", new AtomicInteger());
        Room kept = room("kept", "kept-key-0123456789ab");
        a.save(kept, BandwidthChoice.NONE).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(1)).until(() -> b.findById("kept").isPresent());

        redis.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !links.get(0).reachable());
        Throwable refused = failure(() -> a.save(room("new", "new-key-0123456789abcd"), new BandwidthChoice(9.0, null)).join());
        AdminException error = assertInstanceOf(AdminException.class, refused);
        assertEquals(503, error.status());
        assertTrue(error.getMessage().contains("unreachable"), error.getMessage());
        assertEquals(503, assertInstanceOf(AdminException.class, failure(() -> a.delete("kept").join())).status());
        // Nothing half applied: the local copies and the stored settings are as before; readers still work.
        assertTrue(a.findById("new").isEmpty());
        assertEquals(BandwidthChoice.NONE, a.own("new"));
        assertTrue(a.findById("kept").isPresent());
        assertTrue(b.findBinding("live", "kept-key-0123456789ab").isPresent());

        int before = reloadsA.get();
        redis.start();
        // The restarted Redis is empty (no persistence in tests): the reload makes the local copy say so.
        await().atMost(Duration.ofSeconds(5)).until(() -> reloadsA.get() > before && a.findById("kept").isEmpty());
        a.save(room("new", "new-key-0123456789abcd"), BandwidthChoice.NONE).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> b.findById("new").isPresent() && b.findById("kept").isEmpty());
        assertFalse(a.all().isEmpty());
    }

    private static Throwable failure(Runnable action) {
        try {
            action.run();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected the call to fail");
    }
}
