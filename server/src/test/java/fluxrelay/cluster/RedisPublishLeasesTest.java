package fluxrelay.cluster;

import fluxrelay.testing.RedisServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.ingest.PublishLeases.Acquisition;
import fluxrelay.ingest.PublishLeases.Lease;
import fluxrelay.stream.FeedId;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Publish leases against a real redis-server: grant, conflict, expiry after a node dies, renewal, fencing, loss. */
class RedisPublishLeasesTest {

    private static final Duration TTL = Duration.ofSeconds(1);
    @org.junit.jupiter.api.io.TempDir
    static java.nio.file.Path redisDir;
    private static RedisServer redis;
    private static RedisCommands<String, String> sync;

    private final List<ScheduledExecutorService> schedulers = new ArrayList<>();
    private final List<RedisLink> links = new ArrayList<>();
    private final AtomicInteger renewals = new AtomicInteger();
    private final AtomicInteger losses = new AtomicInteger();
    private final ClusterEvents events = new ClusterEvents() {
        @Override
        public void leaseRenewed() {
            renewals.incrementAndGet();
        }

        @Override
        public void leaseLost() {
            losses.incrementAndGet();
        }
    };
    private static int feedCounter;
    private final FeedId feed = new FeedId("room" + (++feedCounter), "main");

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start(redisDir);
        sync = redis.connect().sync();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void stopSchedulers() {
        schedulers.forEach(ScheduledExecutorService::shutdownNow);
        links.forEach(RedisLink::close);
    }

    private RedisPublishLeases node(String id, ScheduledExecutorService scheduler) {
        NodeAddress address = new NodeAddress(id, "10.0.0." + id.length() + ":1935");
        RedisLink link = new RedisLink(new fluxrelay.config.ClusterConfig(true, id, "127.0.0.1", redis.uri(), "", "s".repeat(32),
                Duration.ofMillis(200), TTL, Duration.ofSeconds(30)));
        links.add(link);
        assertTrue(link.start());
        return new RedisPublishLeases(link, () -> address, TTL, scheduler, events);
    }

    private RedisPublishLeases node(String id) {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        schedulers.add(scheduler);
        return node(id, scheduler);
    }

    private static Acquisition acquire(RedisPublishLeases leases, FeedId feed) throws Exception {
        return leases.acquire(feed).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Lease granted(Acquisition acquisition) {
        return assertInstanceOf(Acquisition.Granted.class, acquisition).lease();
    }

    @Test
    void aFreeFeedIsGrantedWithTheNodeItsAddressAndEpochInTheLease() throws Exception {
        Lease lease = granted(acquire(node("a"), feed));

        assertTrue(lease.epoch() >= 1);
        assertEquals("a|10.0.0.1:1935|" + lease.epoch(), sync.get(LeaseKeys.lease(feed)));
        long pttl = sync.pttl(LeaseKeys.lease(feed));
        assertTrue(pttl > 0 && pttl <= TTL.toMillis(), "expiry " + pttl);
    }

    @Test
    void twoRenditionsOfARoomPublishingOnOneNodeHoldALeaseEachAndNeitherIsLost() throws Exception {
        RedisPublishLeases a = node("a");
        FeedId high = FeedId.rendition(feed.room(), "480p");
        FeedId low = FeedId.rendition(feed.room(), "240p");
        Lease first = granted(acquire(a, high));
        Lease second = granted(acquire(a, low));

        assertEquals("a|10.0.0.1:1935|" + first.epoch(), sync.get(LeaseKeys.lease(high)));
        assertEquals("a|10.0.0.1:1935|" + second.epoch(), sync.get(LeaseKeys.lease(low)));
        int before = renewals.get();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> renewals.get() >= before + 4);
        assertEquals(0, losses.get(), "each renews its own lease");
    }

    @Test
    void aSecondNodeIsRefusedWhileTheHolderRenewsAfterWaitingAtMostTheLifetime() throws Exception {
        granted(acquire(node("a"), feed));
        long start = System.nanoTime();

        Acquisition other = acquire(node("b"), feed);

        assertEquals("a", assertInstanceOf(Acquisition.Held.class, other).holder());
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(waited <= TTL.toMillis() + 1000, "waited " + waited + " ms");
        assertTrue(renewals.get() >= 1, "the holder renewed while the other waited");
    }

    @Test
    void aDeadHoldersLeaseExpiresAndTheNextNodeGetsTheFeedWithALargerEpoch() throws Exception {
        ScheduledExecutorService crashed = Executors.newSingleThreadScheduledExecutor();
        Lease first = granted(acquire(node("a", crashed), feed));
        crashed.shutdownNow();

        Lease second = granted(acquire(node("b"), feed));

        assertTrue(second.epoch() > first.epoch(), first.epoch() + " then " + second.epoch());
        assertEquals("b|10.0.0.1:1935|" + second.epoch(), sync.get(LeaseKeys.lease(feed)));
    }

    @Test
    void aHeldLeaseOutlivesItsLifetimeByRenewal() throws Exception {
        Lease lease = granted(acquire(node("a"), feed));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> renewals.get() >= 6);

        assertEquals("a|10.0.0.1:1935|" + lease.epoch(), sync.get(LeaseKeys.lease(feed)));
        assertEquals(0, losses.get());
    }

    @Test
    void releaseDeletesTheLeaseOnlyWhenTheLastLocalPublisherEnds() throws Exception {
        RedisPublishLeases a = node("a");
        Lease stale = granted(acquire(a, feed));
        Lease reconnected = granted(acquire(a, feed));
        assertEquals(stale.epoch(), reconnected.epoch(), "local publishers of one feed share the node's lease");

        stale.release();
        stale.release();
        sync.ping();
        Awaitility.await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> sync.get(LeaseKeys.lease(feed)) != null);
        reconnected.release();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sync.get(LeaseKeys.lease(feed)) == null);
        Lease next = granted(acquire(node("b"), feed));
        assertTrue(next.epoch() > reconnected.epoch());
    }

    @Test
    void aLeaseTakenByAnotherHolderIsLostAndItsPublicationTold() throws Exception {
        Lease lease = granted(acquire(node("a"), feed));
        CompletableFuture<Void> told = new CompletableFuture<>();
        lease.onLost(() -> told.complete(null));

        sync.set(LeaseKeys.lease(feed), "b|10.0.0.2:1935|" + (lease.epoch() + 1));

        told.get(5, TimeUnit.SECONDS);
        assertEquals(1, losses.get());
        lease.release();
        assertEquals("b|10.0.0.2:1935|" + (lease.epoch() + 1), sync.get(LeaseKeys.lease(feed)),
                "a lost lease's release leaves the new holder alone");
    }

    @Test
    void aLeaseThatExpiredUnusedIsTakenBackButNotOnceAnotherNodeHadIt() throws Exception {
        RedisPublishLeases a = node("a");
        Lease lease = granted(acquire(a, feed));
        // Redis lost the key (a restart without persistence, an eviction): nobody else took the feed meanwhile.
        sync.del(LeaseKeys.lease(feed));
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sync.get(LeaseKeys.lease(feed)) != null);
        assertEquals(0, losses.get());

        CompletableFuture<Void> told = new CompletableFuture<>();
        lease.onLost(() -> told.complete(null));
        // Another node held it for a while and gave it back: the epoch moved on, so the old holder must not return.
        sync.del(LeaseKeys.lease(feed));
        sync.incr(LeaseKeys.epoch(feed));
        told.get(5, TimeUnit.SECONDS);
        assertNull(sync.get(LeaseKeys.lease(feed)));
    }
}
