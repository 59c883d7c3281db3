package fluxrelay.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.PublishAuthorizer;
import fluxrelay.rooms.PublishDecision;
import fluxrelay.rooms.PublishGate;
import fluxrelay.rooms.PublishRequest;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.IngestPolicy;
import fluxrelay.stream.Publisher;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.LivePublisher;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Publish admission without any protocol: bindings to feeds, refusals with reasons, takeover, the attempt limiter. */
class IngestServiceTest {

    private static final SocketAddress ENCODER = new InetSocketAddress("192.0.2.9", 40000);

    private final Room room = new Room("keynote", "Keynote", "live",
            List.of(new Feed("main", "main-key-0123456789"), new Feed("backup", "backup-key-0123456789")), true);
    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(room));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 1000));
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private final ActivityListener activity = new ActivityListener() {
        @Override
        public void publishEnded(Room r, String streamName, SocketAddress from, long durationMillis, long bytes) {
            ended.add(r.id());
        }
    };

    @AfterEach
    void close() {
        streams.close();
    }

    private IngestService service(PublishGate gate, PublishAttemptLimiter attempts) {
        return new IngestService(rooms, gate, attempts, streams, activity, refusals::add,
                new IngestService.Settings(new IngestPolicy(1920, 1080, 30, 1000, 2000, false), Duration.ofSeconds(3)));
    }

    private static IngestOutcome begin(IngestService service, String streamName, Publisher publisher) throws Exception {
        return service.begin(new PublishRequest("live", streamName, Map.of(), ENCODER), publisher, "test", Runnable::run)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void eachFeedIsPublishedByItsOwnStreamNameIntoItsOwnHub() throws Exception {
        IngestService service = service(new PublishAuthorizer(rooms), new PublishAttemptLimiter(10, Duration.ofMinutes(1)));
        Publication main = ((IngestOutcome.Started) begin(service, "main-key-0123456789", new Live())).publication();
        Publication backup = ((IngestOutcome.Started) begin(service, "backup-key-0123456789", new Live())).publication();

        assertEquals(new FeedId("keynote", "main"), main.feedId());
        assertEquals(new FeedId("keynote", "backup"), backup.feedId());
        assertTrue(streams.find(new FeedId("keynote", "main")).orElseThrow().snapshot().publishing());
        assertTrue(streams.find(new FeedId("keynote", "backup")).orElseThrow().snapshot().publishing());

        backup.end(false);
        backup.end(true);
        assertFalse(streams.find(new FeedId("keynote", "backup")).orElseThrow().snapshot().publishing());
        assertTrue(streams.find(new FeedId("keynote", "main")).orElseThrow().snapshot().publishing());
        assertEquals(List.of("keynote"), ended, "the platform hears of an ended publish once");
    }

    @Test
    void aSecondLiveEncoderOnTheSameFeedIsRefusedWithTheReason() throws Exception {
        IngestService service = service(new PublishAuthorizer(rooms), new PublishAttemptLimiter(10, Duration.ofMinutes(1)));
        assertInstanceOf(IngestOutcome.Started.class, begin(service, "main-key-0123456789", new Live()));

        IngestOutcome second = begin(service, "main-key-0123456789", new Live());

        assertEquals("already_publishing", assertInstanceOf(IngestOutcome.Refused.class, second).reason());
        assertEquals(List.of("already_publishing"), refusals);
    }

    @Test
    void anUnknownKeyIsRefusedAndAFailingGateRefusesWithoutThrowing() throws Exception {
        IngestService local = service(new PublishAuthorizer(rooms), new PublishAttemptLimiter(10, Duration.ofMinutes(1)));
        assertEquals("unknown_stream_name",
                assertInstanceOf(IngestOutcome.Refused.class, begin(local, "guess-0123456789", new Live())).reason());

        IngestService broken = service(request -> {
            throw new IllegalStateException("boom");
        }, new PublishAttemptLimiter(10, Duration.ofMinutes(1)));
        assertEquals("decision_failed",
                assertInstanceOf(IngestOutcome.Refused.class, begin(broken, "main-key-0123456789", new Live())).reason());
    }

    @Test
    void concurrentGuessesFromOneAddressGetNoMoreDecisionsThanTheLimit() throws Exception {
        List<CompletableFuture<PublishDecision>> pending = new ArrayList<>();
        PublishGate slow = request -> {
            CompletableFuture<PublishDecision> decision = new CompletableFuture<>();
            pending.add(decision);
            return decision;
        };
        IngestService service = service(slow, new PublishAttemptLimiter(10, Duration.ofMinutes(1)));
        List<CompletableFuture<IngestOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            outcomes.add(service.begin(new PublishRequest("live", "guess-" + i, Map.of(), ENCODER), new Live(), "test",
                    Runnable::run).toCompletableFuture());
        }

        assertEquals(10, pending.size(), "only the limit's worth of attempts reach the decision");
        pending.forEach(d -> d.complete(new PublishDecision.Denied("unknown_stream_name", "no")));
        long rateLimited = outcomes.stream().map(CompletableFuture::join)
                .filter(o -> o instanceof IngestOutcome.Refused r && r.reason().equals("rate_limited")).count();
        assertEquals(290, rateLimited);
    }

    @Test
    void anAdmittedPublishGivesItsAttemptBack() throws Exception {
        PublishAttemptLimiter attempts = new PublishAttemptLimiter(2, Duration.ofMinutes(1));
        IngestService service = service(new PublishAuthorizer(rooms), attempts);
        for (int i = 0; i < 5; i++) {
            Publication publication = ((IngestOutcome.Started) begin(service, "main-key-0123456789", new Live())).publication();
            publication.end(true);
        }
        assertFalse(attempts.blocked(ENCODER instanceof InetSocketAddress inet ? inet.getAddress() : null));
    }

    /** A connected publisher that is never silent. */
    private IngestService leased(PublishLeases leases) {
        return new IngestService(rooms, new PublishAuthorizer(rooms), new PublishAttemptLimiter(10, Duration.ofMinutes(1)), streams,
                activity, refusals::add, new IngestService.Settings(new IngestPolicy(1920, 1080, 30, 1000, 2000, false),
                Duration.ofSeconds(3)), leases);
    }

    /** A lease that records what its publication did with it and can be taken away. */
    private static final class TestLease implements PublishLeases.Lease {
        final List<Runnable> onLost = new CopyOnWriteArrayList<>();
        volatile int releases;

        @Override
        public long epoch() {
            return 7;
        }

        @Override
        public void onLost(Runnable action) {
            onLost.add(action);
        }

        @Override
        public void release() {
            releases++;
        }
    }

    @Test
    void aFeedAnotherNodePublishesIsRefusedWithTheSameMessageAsOnOneNode() throws Exception {
        IngestService service = leased(feed -> CompletableFuture.completedFuture(new PublishLeases.Acquisition.Held("node-a")));

        IngestOutcome.Refused refused = assertInstanceOf(IngestOutcome.Refused.class, begin(service, "main-key-0123456789", new Live()));

        assertEquals("already_publishing", refused.reason());
        assertEquals(fluxrelay.stream.PublishClaim.ALREADY_PUBLISHING, refused.description());
        assertFalse(streams.find(new FeedId("keynote", "main")).map(s -> s.snapshot().publishing()).orElse(false));
        assertEquals(List.of("already_publishing"), refusals);
    }

    @Test
    void aLostLeaseEvictsThePublisherAndTheEndGivesTheLeaseBack() throws Exception {
        TestLease lease = new TestLease();
        IngestService service = leased(feed -> CompletableFuture.completedFuture(new PublishLeases.Acquisition.Granted(lease)));
        List<String> evicted = new CopyOnWriteArrayList<>();
        Live encoder = new Live() {
            @Override
            public void evict(String reason) {
                evicted.add(reason);
            }
        };
        Publication publication = ((IngestOutcome.Started) begin(service, "main-key-0123456789", encoder)).publication();

        lease.onLost.forEach(Runnable::run);
        assertEquals(List.of("The room is now published on another node."), evicted);
        publication.end(false);
        publication.end(false);

        assertEquals(1, lease.releases);
    }

    @Test
    void aLeaseGrantedForAFeedBusyOnThisNodeIsGivenBack() throws Exception {
        TestLease lease = new TestLease();
        IngestService service = leased(feed -> CompletableFuture.completedFuture(new PublishLeases.Acquisition.Granted(lease)));
        begin(service, "main-key-0123456789", new Live());

        assertInstanceOf(IngestOutcome.Refused.class, begin(service, "main-key-0123456789", new Live()));

        assertEquals(1, lease.releases);
    }

    @Test
    void anUnreachableLeaseStoreRefusesThePublish() throws Exception {
        IngestService service = leased(feed -> CompletableFuture.completedFuture(new PublishLeases.Acquisition.Unavailable("down")));

        assertEquals("lease_unavailable",
                assertInstanceOf(IngestOutcome.Refused.class, begin(service, "main-key-0123456789", new Live())).reason());
    }

    /** The encoder of these tests: always live, from {@link #ENCODER}. */
    private static class Live extends LivePublisher {
        Live() {
            super(ENCODER);
        }
    }
}
