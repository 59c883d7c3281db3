package fluxrelay.playback;

import fluxrelay.access.AccessCheck;
import fluxrelay.access.AccessClaims;
import fluxrelay.access.AccessPolicy;
import fluxrelay.bandwidth.BandwidthLadder;
import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.bandwidth.RenditionNeed;
import fluxrelay.bandwidth.RoomBandwidth;
import fluxrelay.bandwidth.SegmentClients;
import fluxrelay.bandwidth.VerdictSource;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomRegistry;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.IngestSnapshot;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.stream.StreamSnapshot;
import fluxrelay.stream.Viewer;
import fluxrelay.rooms.RenditionInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way out for every output protocol: decides whether a viewer may watch a room's feed. The room must
 * exist (viewers of a room not yet live wait for it), a subscribing viewer needs a free place in the feed, and
 * a checked room's bandwidth policy is applied to what is known of the viewer's link: a probe token, or the
 * connection's own detection. Refusals are logged with the viewer and counted in the room's bandwidth state.
 *
 * <p>Under {@code enforce} a viewer without a measurement is measured first when its protocol allows it and
 * refused otherwise; a viewer below is refused. In a room with quality renditions the check is a choice: a viewer of
 * the program below its requirement is given the best rendition its figure carries ({@link #ladder}), and only one
 * below the lowest rendition is refused (under {@code warn} it plays the lowest); a viewer asking for a rendition is
 * judged against that rendition's need. Under {@code warn} it plays, with the verdict as a warning
 * (HLS requests are not judged one by one under {@code warn}: their deliveries are). Under {@code off}
 * everyone plays.
 *
 * <p>A room whose viewer access is {@code token} first needs a valid access token ({@link AccessPolicy}), before
 * any capacity or bandwidth rule, so that nothing about the room is told to a viewer without one. Revoking an
 * attendee disconnects the RTMP and HTTP-FLV viewers playing with its token at once.
 */
public final class PlaybackService {

    private static final Logger log = LoggerFactory.getLogger(PlaybackService.class);

    private final RoomRegistry rooms;
    private final StreamRegistry streams;
    private final BandwidthRegistry bandwidth;
    private final SegmentClients segmentClients;
    private final int maxViewersPerFeed;
    private final FeedSources sources;
    private final InternalPlays internal;
    private final AccessPolicy access;
    private final ViewerRefusals refusals;
    private volatile RenditionInputs renditionInputs = RenditionInputs.NONE;
    private volatile RenditionsElsewhere elsewhere = RenditionsElsewhere.NONE;

    /** A single node's service with every room open: no feed comes from elsewhere, no internal play is admitted. */
    public PlaybackService(RoomRegistry rooms, StreamRegistry streams, BandwidthRegistry bandwidth,
                           SegmentClients segmentClients, int maxViewersPerFeed) {
        this(rooms, streams, bandwidth, segmentClients, maxViewersPerFeed, FeedSources.LOCAL, InternalPlays.NONE);
    }

    /** A service with every room open. */
    public PlaybackService(RoomRegistry rooms, StreamRegistry streams, BandwidthRegistry bandwidth,
                           SegmentClients segmentClients, int maxViewersPerFeed, FeedSources sources, InternalPlays internal) {
        this(rooms, streams, bandwidth, segmentClients, maxViewersPerFeed, sources, internal, AccessPolicy.open());
    }

    /**
     * @param rooms the rooms viewers address
     * @param streams the feeds' hubs
     * @param bandwidth requirements, tokens and the rooms' bandwidth state
     * @param segmentClients HLS clients judged by their deliveries (flagged ones are refused), or null without HLS
     * @param maxViewersPerFeed most subscribing viewers one feed takes
     * @param sources asked to bring a feed here when a viewer is admitted and no local publisher is on
     * @param internal admits other nodes' signed pulls
     * @param access the rooms' viewer access and revoked attendees; revocations disconnect viewers from now on
     */
    public PlaybackService(RoomRegistry rooms, StreamRegistry streams, BandwidthRegistry bandwidth,
                           SegmentClients segmentClients, int maxViewersPerFeed, FeedSources sources, InternalPlays internal,
                           AccessPolicy access) {
        this(rooms, streams, bandwidth, segmentClients, maxViewersPerFeed, sources, internal, access, ViewerRefusals.NONE);
    }

    /** As above, with every refused viewer told to {@code refusals}. */
    public PlaybackService(RoomRegistry rooms, StreamRegistry streams, BandwidthRegistry bandwidth,
                           SegmentClients segmentClients, int maxViewersPerFeed, FeedSources sources, InternalPlays internal,
                           AccessPolicy access, ViewerRefusals refusals) {
        this.refusals = refusals;
        this.access = access;
        access.revocations().onRevoked(this::disconnect);
        this.sources = sources;
        this.internal = internal;
        this.rooms = rooms;
        this.streams = streams;
        this.bandwidth = bandwidth;
        this.segmentClients = segmentClients;
        this.maxViewersPerFeed = maxViewersPerFeed;
    }

    /** The stream names rooms bind as renditions (their ids may be asked for before they publish); set while built. */
    public void bindRenditions(RenditionInputs inputs) {
        this.renditionInputs = inputs;
    }

    /** In a cluster, the renditions other nodes make (a viewer asking for one is admitted and pulled); set while built. */
    public void bindRenditionsElsewhere(RenditionsElsewhere made) {
        this.elsewhere = made;
    }

    /** The room's requirement in force (for the figures of an answer). */
    public BandwidthRequirement requirement(String roomId) {
        return bandwidth.requirement(roomId);
    }

    /**
     * Whether {@code app} has a room viewers play as {@code roomId}: RTMP players connect to {@code {app}/{room-id}}
     * before playing one input of it. Room ids are public, so this tells a client nothing secret.
     */
    public boolean hasRoom(String app, String roomId) {
        return rooms.findByPlaybackName(app, roomId).isPresent();
    }

    /** Decides on a request; never throws for a client's input. Refusals are told to the {@link ViewerRefusals}. */
    public PlayDecision admit(PlayRequest request) {
        PlayDecision decision = decide(request);
        if (decision instanceof PlayDecision.Denied denied) {
            refusals.refused(denied.room().id(), "access_" + denied.reason().label());
        } else if (decision instanceof PlayDecision.Refused refused) {
            refusals.refused(refused.room().id(), "bandwidth_" + refused.cause().name().toLowerCase(java.util.Locale.ROOT));
        } else if (decision instanceof PlayDecision.Full full) {
            refusals.refused(full.room().id(), "full");
        }
        return decision;
    }

    private PlayDecision decide(PlayRequest request) {
        Optional<Room> found = request.app() == null
                ? rooms.findById(request.room()).filter(r -> r.playbackName().equals(request.room()))
                : rooms.findByPlaybackName(request.app(), request.room());
        Optional<Feed> feed = found.flatMap(r -> request.feed() == null ? Optional.of(r.mainFeed()) : r.feed(request.feed()));
        if (feed.isEmpty()) {
            return new PlayDecision.NotFound();
        }
        Room room = found.get();
        AccessCheck checked = access.check(room.id(), request.accessToken(), request.address());
        if (checked instanceof AccessCheck.Denied denied) {
            log.info("{}: {} play of room {} refused: access token {}", request.viewer(), request.kind().label(), room.id(),
                    denied.reason().label());
            return new PlayDecision.Denied(room, denied.reason());
        }
        AccessClaims claims = checked instanceof AccessCheck.Granted granted ? granted.claims() : null;
        if (request.rendition() != null) {
            List<String> available = renditions(room.id());
            if (request.feed() != null || !available.contains(request.rendition())) {
                String asked = shown(request.rendition());
                log.info("{}: {} play of room {} refused: no rendition '{}'", request.viewer(), request.kind().label(), room.id(),
                        asked);
                return new PlayDecision.NoSuchRendition(room, asked, available);
            }
        }
        LiveStream stream = null;
        if (request.kind().subscribes()) {
            // A room's URL plays its program (the input on air), or a rendition of it; an input's own URL plays that input.
            stream = request.rendition() != null ? streams.stream(FeedId.rendition(room.id(), request.rendition()), false)
                    : request.feed() == null ? streams.stream(room.id(), room.autoLive())
                    : streams.stream(new FeedId(room.id(), feed.get().id()), room.autoLive());
            if (stream.snapshot().subscribers() >= maxViewersPerFeed) {
                log.warn("{}: {} play of room {} refused: the room is full", request.viewer(), request.kind().label(),
                        stream.feedId());
                return new PlayDecision.Full(room);
            }
        }
        if (request.detecting()) {
            // Bursts and media would share the link and spoil both: the play waits for the result.
            return new PlayDecision.Measure(room);
        }
        PlayDecision decision = judge(request, room, feed.get(), stream);
        if (decision instanceof PlayDecision.Admitted admitted) {
            // The hub the viewer is given: the one asked for, or the rendition a slow viewer was moved down to.
            LiveStream given = admitted.stream();
            if (given != null && !given.snapshot().publishing()) {
                sources.demand(given.feedId());
            }
            return admitted.withAccess(claims);
        }
        return decision;
    }

    /** A client's rendition id made safe to log and echo: at most 40 characters, anything but [A-Za-z0-9._-] as '?'. */
    private static String shown(String asked) {
        String cut = asked.length() > 40 ? asked.substring(0, 40) : asked;
        return cut.replaceAll("[^A-Za-z0-9._-]", "?");
    }

    /**
     * The renditions of a room's program viewers may ask for now, sorted: those whose hub has a publisher (the extra
     * tracks of a multitrack encoder), those bound to a stream name (waited for, as a room not yet live) and, in a
     * cluster, those the room's origin makes (pulled when asked for).
     */
    public List<String> renditions(String roomId) {
        java.util.TreeSet<String> ids = new java.util.TreeSet<>(renditionInputs.of(roomId));
        ids.addAll(elsewhere.of(roomId).keySet());
        for (LiveStream hub : streams.renditions(roomId)) {
            if (hub.snapshot().publishing()) {
                ids.add(hub.feedId().rendition());
            }
        }
        return List.copyOf(ids);
    }

    /**
     * The hub of rendition {@code id} of a room's program (made when first asked for, as a play of it does): what a
     * viewer of the program that receives the renditions as extra tracks subscribes to besides the program.
     */
    public LiveStream renditionHub(String roomId, String id) {
        return streams.stream(FeedId.rendition(roomId, id), false);
    }

    /**
     * Whether the ended playlists of a deleted room (kept for one playlist window so its players can finish) may be
     * read by this request: always for an open room, with a valid access token for a token room.
     */
    public boolean mayReadEnded(String roomId, String accessToken, String address) {
        return access.check(roomId, accessToken, address) instanceof AccessCheck.Granted;
    }

    public String accessParameter() {
        return access.parameter();
    }

    /** Disconnects every subscribing viewer (RTMP, HTTP-FLV) playing as {@code attendee}; safe from any thread. */
    private void disconnect(String attendee) {
        int kicked = 0;
        for (LiveStream stream : streams.all()) {
            for (Viewer viewer : stream.viewers()) {
                if (attendee.equals(viewer.attendee())) {
                    viewer.kick("access revoked");
                    kicked++;
                }
            }
        }
        log.info("attendee access revoked: {} viewer(s) disconnected", kicked);
    }

    /** True for the application of other nodes' internal pulls, when this node admits them. */
    public boolean internalApp(String app) {
        return internal != InternalPlays.NONE && InternalPlays.APP.equals(app);
    }

    /** True when an internal play of {@code name} reads the room's own timestamps ({@link InternalPlays#keepsTimestamps}). */
    public boolean internalKeepsTimestamps(String name) {
        return internal.keepsTimestamps(name);
    }

    /**
     * Decides on another node's pull (application {@link InternalPlays#APP}): admitted, with no capacity or
     * bandwidth rule, only when its signed name is valid and the room and feed exist here; empty otherwise.
     *
     * @param name the play's stream name without its query
     * @param query its decoded query parameters
     * @param from who asks, for logs
     */
    public Optional<PlayDecision.Admitted> admitInternal(String name, Map<String, String> query, String from) {
        Optional<FeedId> signed = internal.admit(name, query, from);
        if (signed.isEmpty()) {
            return Optional.empty();
        }
        FeedId id = signed.get();
        Optional<Room> room = rooms.findById(id.room());
        // An edge pulls a room's program (what its viewers get), one rendition of it, or one input by its id.
        Optional<Feed> feed = room.flatMap(r -> id.isInput() ? r.feed(id.feed()) : Optional.of(r.mainFeed()));
        if (feed.isEmpty()) {
            log.warn("{}: internal pull of room {} refused: no such room or feed here", from, id);
            return Optional.empty();
        }
        LiveStream stream = streams.stream(id, room.get().autoLive());
        return Optional.of(new PlayDecision.Admitted(room.get(), feed.get(), stream, null, null));
    }

    /**
     * The bandwidth watch over an admitted subscribing viewer (null when its room is not monitored): a viewer of the
     * program or an input is judged against the room's requirement; one of a rendition (moved down to it, or asking
     * for it) against that rendition's need, as {@link #ladder} gives it when first known, so that a viewer keeping up
     * with the quality it plays is never flagged for the program's rate.
     */
    public fluxrelay.bandwidth.ViewerBandwidth watch(PlayDecision.Admitted admitted, String viewer) {
        String roomId = admitted.room().id();
        LiveStream hub = admitted.stream();
        if (hub == null || !hub.feedId().isRendition()) {
            return bandwidth.watch(roomId, viewer);
        }
        String id = hub.feedId().rendition();
        return bandwidth.watchRendition(roomId, viewer, () -> renditionNeed(roomId, id));
    }

    /**
     * What the room can give a viewer by the rate each choice needs: the program (the room's requirement) and each
     * live rendition whose ingest rate is measured, needing its steady rate (the mean video and audio rate of its last
     * ten measured seconds, {@link RenditionNeed#steadyBitsPerSecond}) times {@code relay.bandwidth.rendition-headroom},
     * never more than the room's requirement. On a cluster edge, a rendition not pulled here yet is judged by the rate
     * its origin measures.
     */
    public BandwidthLadder ladder(String roomId) {
        BandwidthRequirement requirement = bandwidth.requirement(roomId);
        double headroom = bandwidth.settings().renditionHeadroom();
        List<RenditionNeed> needs = new ArrayList<>();
        for (LiveStream hub : streams.renditions(roomId)) {
            long need = need(hub, headroom, requirement);
            if (need > 0) {
                needs.add(new RenditionNeed(hub.feedId().rendition(), need));
            }
        }
        java.util.Set<String> measured = new java.util.HashSet<>();
        needs.forEach(need -> measured.add(need.id()));
        elsewhere.of(roomId).forEach((id, bitsPerSecond) -> {
            if (bitsPerSecond > 0 && !measured.contains(id)) {
                needs.add(new RenditionNeed(id, RenditionNeed.of(bitsPerSecond, headroom, requirement.bitsPerSecond())));
            }
        });
        return new BandwidthLadder(requirement, needs);
    }

    /** What a room's bandwidth token says, when it is valid here (unexpired, for that room, signed with this node's secret). */
    public Optional<ProbeTokens.Claims> bandwidthClaims(String token, String roomId) {
        return bandwidth.tokens().verify(token, roomId);
    }

    /**
     * The need of rendition {@code id} of a room's program in bit/s, as {@link #ladder} reckons it, or 0 while it is not
     * known (not live, or its rate not measured yet): what an HLS client's segments of that rendition are judged against.
     */
    public long renditionNeed(String roomId, String id) {
        BandwidthRequirement requirement = bandwidth.requirement(roomId);
        double headroom = bandwidth.settings().renditionHeadroom();
        return streams.find(FeedId.rendition(roomId, id)).map(hub -> need(hub, headroom, requirement)).orElse(0L);
    }

    /** A rendition hub's need, or 0 when its rate is not measured. */
    private static long need(LiveStream hub, double headroom, BandwidthRequirement requirement) {
        StreamSnapshot live = hub.snapshot();
        IngestSnapshot ingest = live.ingest();
        if (!live.publishing() || ingest == null || ingest.videoKbps() <= 0) {
            return 0;
        }
        return RenditionNeed.of(RenditionNeed.steadyBitsPerSecond(ingest.recentKbps()), headroom, requirement.bitsPerSecond());
    }

    private PlayDecision judge(PlayRequest request, Room room, Feed feed, LiveStream stream) {
        BandwidthRequirement requirement = bandwidth.requirement(room.id());
        if (!requirement.checked()) {
            return new PlayDecision.Admitted(room, feed, stream, null, null);
        }
        boolean enforce = requirement.policy() == BandwidthPolicy.ENFORCE;
        RoomBandwidth state = bandwidth.room(room.id());
        Optional<ProbeTokens.Claims> claims = request.bandwidthToken() == null ? Optional.empty()
                : bandwidth.tokens().verify(request.bandwidthToken(), room.id());
        if (request.kind() == ViewerKind.HLS) {
            if (!enforce) {
                // Not judged request by request; the claims choose what the multivariant playlist lists.
                return new PlayDecision.Admitted(room, feed, null, null, claims.orElse(null));
            }
            BandwidthVerdict flagged = segmentClients == null ? null : segmentClients.flaggedVerdict(room.id(), request.viewer());
            if (flagged != null) {
                return new PlayDecision.Refused(room, PlayDecision.Cause.FLAGGED, flagged, requirement.bitsPerSecond());
            }
        }
        // A rendition asked for is judged against its own need; one whose need is not known yet against none.
        BandwidthLadder ladder = request.feed() == null ? ladder(room.id()) : new BandwidthLadder(requirement, List.of());
        BandwidthRequirement target = requirement;
        if (request.rendition() != null) {
            target = ladder.rendition(request.rendition())
                    .map(need -> new BandwidthRequirement(need.bitsPerSecond(), requirement.policy())).orElse(null);
        }
        BandwidthVerdict verdict;
        if (claims.isPresent()) {
            verdict = judged(request, room, VerdictSource.TOKEN, claims.get().measurement(), target);
        } else if (request.detected() != null) {
            verdict = judged(request, room, VerdictSource.RTMP_DETECTION, request.detected(), target);
            state.record(verdict);
        } else if (!enforce) {
            return new PlayDecision.Admitted(room, feed, stream, null, null);
        } else if (request.kind().measurable()) {
            return new PlayDecision.Measure(room);
        } else {
            state.refusedUnchecked();
            log.info("{}: {} play of room {} refused: no valid bandwidth token", request.viewer(), request.kind().label(),
                    room.id());
            return new PlayDecision.Refused(room, PlayDecision.Cause.UNMEASURED, null, requirement.bitsPerSecond());
        }
        if (verdict.ok()) {
            return new PlayDecision.Admitted(room, feed, stream, null, claims.orElse(null));
        }
        if (request.rendition() == null && !ladder.programOnly()) {
            return moveDown(request, room, feed, ladder, verdict, claims.orElse(null), enforce, state);
        }
        return below(request, room, feed, stream, verdict, claims.orElse(null), enforce, state);
    }

    /** The verdict on a measurement against {@code target}; with no target (a need not known yet), any complete one passes. */
    private BandwidthVerdict judged(PlayRequest request, Room room, VerdictSource source, fluxrelay.bandwidth.Measurement measured,
                                    BandwidthRequirement target) {
        BandwidthRequirement against = target != null ? target
                : new BandwidthRequirement(Math.max(1, measured.bitsPerSecond()), bandwidth.requirement(room.id()).policy());
        return BandwidthVerdict.judge(bandwidth.clock().instant(), room.id(), request.viewer(), source, measured, against);
    }

    /** A viewer below what it asked for: refused under {@code enforce}, playing with a warning under {@code warn}. */
    private PlayDecision below(PlayRequest request, Room room, Feed feed, LiveStream stream, BandwidthVerdict verdict,
                               ProbeTokens.Claims claims, boolean enforce, RoomBandwidth state) {
        if (enforce) {
            state.refused(verdict);
            log.info("{}: {} play of room {} refused: link below the required rate ({}, {})", request.viewer(),
                    request.kind().label(), room.id(), verdict.figures(), verdict.source().label());
            return new PlayDecision.Refused(room, PlayDecision.Cause.TOO_SLOW, verdict, verdict.requiredBitsPerSecond());
        }
        if (verdict.source() == VerdictSource.TOKEN) {
            state.record(verdict);
        }
        log.warn("{}: {} viewer of room {} plays below the required rate ({}, {})", request.viewer(), request.kind().label(),
                room.id(), verdict.figures(), verdict.source().label());
        return new PlayDecision.Admitted(room, feed, stream, verdict, claims);
    }

    /**
     * A viewer of the program below its requirement in a room with renditions: the best rendition its figure carries;
     * below the lowest, refused under {@code enforce} with the lowest one's need as the figure, and given the lowest
     * with a warning under {@code warn}. HLS requests are admitted with the choice named, their multivariant playlist
     * lists what fits ({@code HlsRoute}), and are not counted here: a player makes many.
     */
    private PlayDecision moveDown(PlayRequest request, Room room, Feed feed, BandwidthLadder ladder, BandwidthVerdict verdict,
                                  ProbeTokens.Claims claims, boolean enforce, RoomBandwidth state) {
        long measured = verdict.measurement().complete() ? verdict.measurement().bitsPerSecond() : 0;
        Optional<RenditionNeed> best = ladder.best(measured);
        BandwidthVerdict warning = null;
        if (best.isEmpty()) {
            RenditionNeed lowest = ladder.lowest().orElseThrow();
            BandwidthVerdict againstLowest = BandwidthVerdict.judge(verdict.at(), room.id(), request.viewer(), verdict.source(),
                    verdict.measurement(), new BandwidthRequirement(lowest.bitsPerSecond(), ladder.program().policy()));
            if (enforce) {
                return below(request, room, feed, null, againstLowest, claims, true, state);
            }
            warning = againstLowest;
            best = Optional.of(lowest);
        }
        String id = best.get().id();
        LiveStream rendition = null;
        if (request.kind().subscribes()) {
            rendition = streams.stream(FeedId.rendition(room.id(), id), false);
            if (rendition.snapshot().subscribers() >= maxViewersPerFeed) {
                log.warn("{}: {} play of room {} refused: rendition {} is full", request.viewer(), request.kind().label(),
                        room.id(), id);
                return new PlayDecision.Full(room);
            }
            state.movedDown();
            if (verdict.source() == VerdictSource.TOKEN) {
                state.record(verdict);
            }
            log.info("{}: {} viewer of room {} moved down to rendition {} ({}, rendition needs {} Mbit/s)", request.viewer(),
                    request.kind().label(), room.id(), id, verdict.figures(),
                    String.format(java.util.Locale.ROOT, "%.1f", best.get().mbps()));
        }
        return new PlayDecision.Admitted(room, feed, rendition, warning, claims, null, new PlayDecision.MovedDown(id,
                verdict.measurement().bitsPerSecond(), ladder.program().bitsPerSecond(), best.get().bitsPerSecond()));
    }
}
