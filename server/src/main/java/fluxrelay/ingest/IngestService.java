package fluxrelay.ingest;

import fluxrelay.logging.LogText;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.PublishDecision;
import fluxrelay.rooms.PublishGate;
import fluxrelay.rooms.PublishRequest;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomRegistry;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.IngestPolicy;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.Publisher;
import fluxrelay.stream.StreamRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way in for every ingest protocol: decides whether a publish may start (the attempt limiter, then
 * the room binding or a platform's decision, then the feed's publisher slot with its takeover rule) and
 * returns the {@link Publication} that carries it. Refusals are logged with the remote address and counted.
 */
public final class IngestService {

    private static final Logger log = LoggerFactory.getLogger(IngestService.class);

    /**
     * How the service is set up.
     *
     * @param policy the platform's live stream rules
     * @param takeoverAfter a silent publisher may be replaced after this long
     */
    public record Settings(IngestPolicy policy, Duration takeoverAfter) {
    }

    private final RoomRegistry rooms;
    private final PublishGate gate;
    private final PublishAttemptLimiter attempts;
    private final StreamRegistry streams;
    private final ActivityListener activity;
    private final IngestEvents events;
    private final Settings settings;
    private final PublishLeases leases;
    private final InternalPublishes internal;

    /** A single node's service: no lease beyond the local publisher slot. */
    public IngestService(RoomRegistry rooms, PublishGate gate, PublishAttemptLimiter attempts, StreamRegistry streams,
                         ActivityListener activity, IngestEvents events, Settings settings) {
        this(rooms, gate, attempts, streams, activity, events, settings, PublishLeases.SINGLE_NODE);
    }

    /**
     * @param rooms the bindings, for applications
     * @param gate decides on publishes (the bindings, or a platform webhook in front of them)
     * @param attempts slows stream-key guessing per address
     * @param streams the feeds' hubs
     * @param activity told when a publish ends
     * @param events where refusals are counted
     * @param leases who may publish a feed across nodes, asked before the local slot
     */
    public IngestService(RoomRegistry rooms, PublishGate gate, PublishAttemptLimiter attempts, StreamRegistry streams,
                         ActivityListener activity, IngestEvents events, Settings settings, PublishLeases leases) {
        this(rooms, gate, attempts, streams, activity, events, settings, leases, InternalPublishes.NONE);
    }

    /** As above, also admitting this node's own signed publishes ({@code internal}) before anything else. */
    public IngestService(RoomRegistry rooms, PublishGate gate, PublishAttemptLimiter attempts, StreamRegistry streams,
                         ActivityListener activity, IngestEvents events, Settings settings, PublishLeases leases,
                         InternalPublishes internal) {
        this.internal = internal;
        this.leases = leases;
        this.rooms = rooms;
        this.gate = gate;
        this.attempts = attempts;
        this.streams = streams;
        this.activity = activity;
        this.events = events;
        this.settings = settings;
    }

    /** True when the application of an encoder's URL has rooms at all (checked at connect). */
    public boolean knowsApp(String app) {
        return rooms.hasApp(app);
    }

    /** Counts a refusal that an adapter decided on its own (unknown application at connect). */
    public void refused(String reason) {
        events.publishRefused(reason);
    }

    /**
     * Begins a publish.
     *
     * @param request what the encoder asked for
     * @param publisher the protocol's side of the publish, for the hub's liveness and takeover questions
     * @param encoder the encoder's own name, for the admin views (may be null)
     * @param executor where the outcome completes: the adapter's connection thread
     * @return the outcome, completed on {@code executor}; when the adapter can no longer use a {@code Started}
     *     one (its connection went away meanwhile) it must {@link Publication#end} it
     */
    public CompletionStage<IngestOutcome> begin(PublishRequest request, Publisher publisher, String encoder, Executor executor) {
        Optional<FeedId> signed = internal.admit(request);
        if (signed.isPresent()) {
            return CompletableFuture.supplyAsync(() -> internalClaim(request, signed.get(), publisher, encoder), executor);
        }
        InetAddress address = request.remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (!attempts.tryStart(address)) {
            return CompletableFuture.supplyAsync(() -> refuse(request, "rate_limited",
                    "Too many failed attempts from your address: wait a minute and check the stream key."), executor);
        }
        CompletionStage<PublishDecision> decision;
        try {
            decision = gate.decide(request);
        } catch (RuntimeException e) {
            decision = CompletableFuture.failedFuture(e);
        }
        return decision.handleAsync((decided, error) -> {
            if (error != null) {
                log.warn("{}: publish refused: the decision failed: {}", request.remoteAddress(), error.toString());
                return done(refuse(request, "decision_failed", UNAVAILABLE));
            }
            if (decided instanceof PublishDecision.Denied denied) {
                return done(refuse(request, denied.reason(), denied.description()));
            }
            PublishDecision.Allowed allowed = (PublishDecision.Allowed) decided;
            attempts.admitted(address);
            FeedId id = hubOf(allowed.room(), allowed.feed());
            return leases.acquire(id).thenApplyAsync(acquisition -> leased(request, allowed, acquisition, publisher, encoder),
                    executor);
        }, executor).thenCompose(outcome -> outcome);
    }

    private IngestOutcome leased(PublishRequest request, PublishDecision.Allowed allowed, PublishLeases.Acquisition acquisition,
                                 Publisher publisher, String encoder) {
        FeedId id = hubOf(allowed.room(), allowed.feed());
        if (acquisition instanceof PublishLeases.Acquisition.Granted granted) {
            return claim(request, allowed.room(), allowed.feed(), publisher, encoder, granted.lease());
        }
        if (acquisition instanceof PublishLeases.Acquisition.Held held) {
            log.warn("{}: publish to room {} refused: node {} publishes it", request.remoteAddress(), id, LogText.of(held.holder()));
            events.publishRefused("already_publishing");
            activity.publishRefused(allowed.room(), allowed.feed().id(), "already_publishing", request.remoteAddress());
            return new IngestOutcome.Refused("already_publishing", PublishClaim.ALREADY_PUBLISHING);
        }
        String why = ((PublishLeases.Acquisition.Unavailable) acquisition).why();
        log.warn("{}: publish to room {} refused: its lease cannot be taken: {}", request.remoteAddress(), id, LogText.of(why, 200));
        events.publishRefused("lease_unavailable");
        activity.publishRefused(allowed.room(), allowed.feed().id(), "lease_unavailable", request.remoteAddress());
        return new IngestOutcome.Refused("lease_unavailable", UNAVAILABLE);
    }

    /** The hub a feed publishes into: the input's, or for a rendition stream name the rendition's of the program. */
    private static FeedId hubOf(Room room, Feed feed) {
        return feed.rendition() ? FeedId.rendition(room.id(), feed.id()) : new FeedId(room.id(), feed.id());
    }

    private static CompletionStage<IngestOutcome> done(IngestOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private IngestOutcome claim(PublishRequest request, Room room, Feed feed, Publisher publisher, String encoder,
                                PublishLeases.Lease lease) {
        LiveStream live = streams.stream(hubOf(room, feed), room.autoLive());
        PublishClaim claim = live.claim(publisher, settings.takeoverAfter());
        if (claim instanceof PublishClaim.Busy busy) {
            lease.release();
            log.warn("{}: publish to room {} refused: {}", request.remoteAddress(), live.feedId(), busy.description());
            events.publishRefused("already_publishing");
            activity.publishRefused(room, feed.id(), "already_publishing", request.remoteAddress());
            return new IngestOutcome.Refused("already_publishing", busy.description());
        }
        Publication publication = new Publication(room, feed, ((PublishClaim.Granted) claim).slot(), publisher,
                new IngestWatch(settings.policy()), settings.policy().strict(), activity, encoder, lease);
        lease.onLost(() -> {
            log.warn("{}: publish to room {} ends: its cluster lease (epoch {}) was lost to another node",
                    publisher.remoteAddress(), live.feedId(), lease.epoch());
            publisher.evict("The room is now published on another node.");
        });
        return new IngestOutcome.Started(publication);
    }

    /**
     * A signed publish of this node's own process into a rendition hub: the hub keeps its timestamps, no lease (the
     * program's publisher holds the room's), no webhook.
     */
    private IngestOutcome internalClaim(PublishRequest request, FeedId id, Publisher publisher, String encoder) {
        Optional<Room> room = rooms.findById(id.room());
        if (room.isEmpty()) {
            return refuse(request, "unknown_stream_name", "The room of this internal publish is gone.");
        }
        Feed feed = new Feed(id.rendition(), request.streamName(), Feed.ROLE_RENDITION);
        LiveStream live = streams.stream(id, room.get().autoLive());
        PublishClaim claim = live.claim(publisher, settings.takeoverAfter(), true);
        if (claim instanceof PublishClaim.Busy busy) {
            log.warn("{}: internal publish to {} refused: {}", request.remoteAddress(), id, busy.description());
            return new IngestOutcome.Refused("already_publishing", busy.description());
        }
        return new IngestOutcome.Started(new Publication(room.get(), feed, ((PublishClaim.Granted) claim).slot(), publisher,
                new IngestWatch(settings.policy()), false, ActivityListener.NONE, encoder, PublishLeases.Lease.LOCAL));
    }

    private static final String UNAVAILABLE = "Publishing is unavailable right now: try again shortly.";

    private IngestOutcome refuse(PublishRequest request, String reason, String description) {
        log.warn("{}: publish refused in app '{}': {} ({})", request.remoteAddress(), LogText.of(request.app()),
                LogText.of(description, 200), reason);
        events.publishRefused(reason);
        return new IngestOutcome.Refused(reason, description);
    }
}
