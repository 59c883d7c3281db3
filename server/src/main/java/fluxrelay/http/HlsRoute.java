package fluxrelay.http;

import fluxrelay.hls.HlsPackager;
import fluxrelay.hls.HlsRoom;
import fluxrelay.hls.Playlists;
import fluxrelay.hls.QualityLadder;
import fluxrelay.hls.SegmentContent;
import fluxrelay.playback.PlayDecision;
import fluxrelay.playback.PlayRequest;
import fluxrelay.playback.PlaybackService;
import fluxrelay.playback.ViewerKind;
import fluxrelay.playback.WatchName;
import fluxrelay.stream.FeedId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * HLS playback at {@code /hls/{room-id}/} (the room's program), {@code /hls/{room-id}/{input-id}/} (one input of the
 * room, {@link WatchName}) and {@code /hls/{room-id}/r/{rendition-id}/} (one quality rendition of the program, which
 * the program's {@code index.m3u8} lists beside it, {@link QualityLadder}): {@code index.m3u8} (multivariant playlist), {@code stream.m3u8} (media playlist) and the
 * MPEG-TS segments it lists, from memory; {@code ll.m3u8} and the fMP4 files of the Low-Latency rendition are handed
 * to {@link LowLatencyHls}; {@code dvr.m3u8} and its segments, a recording room's live DVR window read from disk, to
 * {@link DvrHls} (the room's own URL only, not an input's). Rooms and inputs are addressed by their public ids, never a stream name; nothing else is
 * reachable under the prefix.
 *
 * <p>Rooms with a bandwidth policy judge each HLS client by its segment deliveries and, under {@code enforce},
 * admit only requests carrying a passing probe token, which answered playlists write into the URIs they list
 * ({@link HlsBandwidth}); such playlists are {@code private} to caches. Rooms whose viewer access is
 * {@code token} admit only requests with a valid access token, which answered playlists carry on to the URIs they
 * list in the same way: a viewer plays on until its own token expires or its attendee is revoked.
 *
 * <p>Made to sit behind a CDN or cache: playlists are fresh for at most {@code playlistMaxAge}, segments are
 * immutable; every response has an ETag and Last-Modified and honours conditional and single-range
 * requests (RFC 9110 13, 14); CORS lets browser players on other origins fetch everything.
 *
 * <p>A room whose packaging failed answers every HLS request with 503 and the reason as JSON
 * ({@code {"error": "..."}}), uncached, until its stream starts again; other rooms are not affected.
 *
 * <p>A deleted room's ended playlists (with {@code EXT-X-ENDLIST}) and their segments stay readable for one
 * playlist window, so its players finish instead of failing; then 404. While the server drains, clients that were
 * not playing (no HLS request within the session idle time) get 503 with {@code Retry-After}; players already
 * playing are served to the end.
 *
 * <p>In a cluster ({@link HlsForwarder}), a room another node originates is answered from that node after the viewer's
 * admission here, so every node serves the origin's playlists; a request forwarded so by another node, signed with the
 * cluster secret, is served without admission (its node did it), and one with a bad signature is refused with 403.
 */
public final class HlsRoute implements HttpRoute {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HlsRoute.class);

    /** URL prefix of all HLS resources. */
    public static final String PREFIX = "/hls/";
    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    private static final String EXPOSED = "Content-Length, Content-Range, ETag, Last-Modified, Date";
    /** Seconds a player is asked to wait before asking a failed room again. */
    private static final int FAILED_RETRY_AFTER_SECONDS = 5;
    /** Seconds a new player is asked to wait while the server drains (a load balancer sends it elsewhere by then). */
    private static final int DRAINING_RETRY_AFTER_SECONDS = 5;

    /**
     * Cache lifetimes.
     *
     * @param playlistMaxAge how long caches may reuse a playlist; zero sends no-cache
     * @param segmentMaxAge how long caches may keep a segment
     */
    public record Caching(Duration playlistMaxAge, Duration segmentMaxAge) {
    }

    private final PlaybackService playback;
    private final HlsPackager packager;
    private final String playlistCacheControl;
    private final String segmentCacheControl;
    private final String privatePlaylistCacheControl;
    private final LowLatencyHls lowLatency;
    private final HlsBandwidth bandwidth;
    private final BooleanSupplier accepting;
    private final HlsSessions sessions;
    private final HlsPlayers players;
    private final HlsForwarder forwarder;
    private final DvrHls dvr;

    private final java.util.concurrent.atomic.LongAdder playlistRequests = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder segmentRequests = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder segmentBytes = new java.util.concurrent.atomic.LongAdder();

    /** Playlists served (master and media) since start. */
    public long playlistRequests() {
        return playlistRequests.sum();
    }

    /** Segments served since start. */
    public long segmentRequests() {
        return segmentRequests.sum();
    }

    /** Segment bytes requested since start (whole segments; ranges count whole). */
    public long segmentBytes() {
        return segmentBytes.sum();
    }

    /**
     * @param bandwidth admission under the rooms' bandwidth policies and timing of segment deliveries
     */
    public HlsRoute(PlaybackService playback, HlsPackager packager, Caching caching, HlsBandwidth bandwidth) {
        this(playback, packager, caching, bandwidth, () -> true, Duration.ofSeconds(30));
    }

    /**
     * @param accepting false while the server drains: clients not already playing are refused with 503
     * @param sessionIdle how long after its last request a client still counts as playing
     */
    public HlsRoute(PlaybackService playback, HlsPackager packager, Caching caching, HlsBandwidth bandwidth,
                    BooleanSupplier accepting, Duration sessionIdle) {
        this(playback, packager, caching, bandwidth, accepting, sessionIdle, null);
    }

    /**
     * @param forwarder in a cluster, answers rooms originated by another node from that node ({@link HlsForwarder})
     *                  and checks forwarded requests; null on a single node
     */
    public HlsRoute(PlaybackService playback, HlsPackager packager, Caching caching, HlsBandwidth bandwidth,
                    BooleanSupplier accepting, Duration sessionIdle, HlsForwarder forwarder) {
        this(playback, packager, caching, bandwidth, accepting, sessionIdle, forwarder, null);
    }

    /**
     * @param dvr the recording rooms' live DVR windows ({@link DvrHls}); null when nothing records
     */
    public HlsRoute(PlaybackService playback, HlsPackager packager, Caching caching, HlsBandwidth bandwidth,
                    BooleanSupplier accepting, Duration sessionIdle, HlsForwarder forwarder, DvrHls dvr) {
        this.dvr = dvr;
        this.forwarder = forwarder;
        this.accepting = accepting;
        this.sessions = new HlsSessions(sessionIdle);
        this.players = new HlsPlayers(sessionIdle.toSeconds());
        this.playback = playback;
        this.packager = packager;
        this.bandwidth = bandwidth;
        long playlistSeconds = caching.playlistMaxAge().toSeconds();
        this.playlistCacheControl = playlistSeconds == 0 ? "no-cache" : "public, max-age=" + playlistSeconds;
        this.privatePlaylistCacheControl = playlistSeconds == 0 ? "private, no-cache" : "private, max-age=" + playlistSeconds;
        this.segmentCacheControl = "public, max-age=" + caching.segmentMaxAge().toSeconds() + ", immutable";
        this.lowLatency = new LowLatencyHls(playlistCacheControl, privatePlaylistCacheControl, segmentCacheControl);
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        // /hls/{room-id}/{file}: the room's program; /hls/{room-id}/{input-id}/{file}: one input of the room;
        // /hls/{room-id}/r/{rendition-id}/{file}: one quality rendition of the program.
        int last = path.lastIndexOf('/');
        String dir = path.substring(PREFIX.length(), Math.max(last, PREFIX.length()));
        String rendition = renditionOf(dir);
        Optional<WatchName> watched = WatchName.parse(rendition == null ? dir : dir.substring(0, dir.indexOf('/')));
        String file = path.substring(last + 1);
        if (watched.isEmpty() || file.isEmpty()) {
            notFound(ctx, request, "Not found.");
            return true;
        }
        HttpMethod method = request.method();
        if (HttpMethod.OPTIONS.equals(method)) {
            preflight(ctx, request);
            return true;
        }
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET or HEAD.");
            return true;
        }
        String roomId = watched.get().room();
        FeedId feed = rendition == null ? feedOf(watched.get()) : FeedId.rendition(roomId, rendition);
        boolean master = file.equals(HlsRoom.MASTER_PLAYLIST) || file.equals(HlsRoom.LOW_LATENCY_MASTER_PLAYLIST);
        boolean isPlaylist = master || file.equals(HlsRoom.MEDIA_PLAYLIST)
                || file.equals(HlsRoom.LOW_LATENCY_PLAYLIST) || file.equals(fluxrelay.recording.DvrWindow.PLAYLIST);
        String client = HlsBandwidth.clientKey(ctx, request);
        // A request another node of the cluster forwarded after admitting its viewer: served here as it is.
        String forwarded = forwarder == null ? null : request.headers().get(HlsForwarder.HEADER);
        boolean trusted = forwarded != null;
        if (trusted) {
            Optional<String> refusal = forwarder.refusal(forwarded, path);
            if (refusal.isPresent()) {
                log.warn("{}: forwarded HLS request for {} refused: {}", PlayRefusals.address(ctx), path, refusal.get());
                problem(ctx, request, HttpResponseStatus.FORBIDDEN, "Invalid cluster signature.", 0);
                return true;
            }
        }
        if (!trusted && !accepting.getAsBoolean() && !sessions.playing(client)) {
            problem(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "The server is shutting down; players already playing are served to the end.", DRAINING_RETRY_AFTER_SECONDS);
            return true;
        }
        sessions.seen(client);
        String accessToken = PlayRefusals.token(request, playback.accessParameter());
        String bandwidthToken = PlayRefusals.token(request, bandwidth.tokenParameter());
        PlayDecision decision = trusted ? null : playback.admit(new PlayRequest(null, roomId, watched.get().feed(),
                ViewerKind.HLS, bandwidthToken, client, null, false).withAccess(accessToken, PlayRefusals.address(ctx))
                .withRendition(rendition));
        Optional<HlsRoom> hls = packager.room(feed);
        // A deleted room's ended playlists, for its players to finish (see the class comment), under the room's access.
        boolean deleted = decision instanceof PlayDecision.NotFound && hls.isPresent() && hls.get().closed()
                && playback.mayReadEnded(roomId, accessToken, PlayRefusals.address(ctx));
        if (decision instanceof PlayDecision.NotFound && !deleted) {
            notFound(ctx, request, watched.get().input() == null ? "No such room." : "No such room or input.");
            return true;
        }
        if (decision instanceof PlayDecision.Denied denied) {
            PlayRefusals.deny(ctx, request, denied, playback.accessParameter());
            return true;
        }
        if (decision instanceof PlayDecision.NoSuchRendition missing) {
            notFound(ctx, request, missing.description());
            return true;
        }
        if (decision instanceof PlayDecision.Admitted moved && moved.movedTo() != null && rendition == null && !master) {
            // Under enforce, a figure below the program's requirement is given the renditions index.m3u8 lists, not the
            // program's own media.
            problem(ctx, request, HttpResponseStatus.FORBIDDEN, "Your connection is too slow for this room's main picture ("
                    + String.format(java.util.Locale.ROOT, "measured %.1f Mbit/s, required %.1f Mbit/s",
                    moved.claims().measuredBitsPerSecond() / 1e6, playback.requirement(roomId).mbps())
                    + "): play the renditions its index.m3u8 lists for you.", 0);
            return true;
        }
        if (decision instanceof PlayDecision.Admitted) {
            players.seen(roomId, client, master ? null : LowLatencyHls.owns(file));
        }
        Asked asked = new Asked(path, roomId, rendition == null ? prefixOf(watched.get())
                : PREFIX + roomId + "/" + QualityLadder.RENDITIONS_DIR + "/" + rendition + "/", file, isPlaylist, decision, hls,
                deleted, accessToken, bandwidthToken, client, trusted, feed.isProgram(), rendition);
        if (decision instanceof PlayDecision.Admitted edge && forwarder != null && forwarder.forward(ctx, request, path, feed,
                isPlaylist, bandwidth.tokenParameter(), isPlaylist ? bandwidth.playlistToken(roomId, edge.claims()) : "",
                copy -> answerHere(ctx, copy, asked))) {
            (isPlaylist ? playlistRequests : segmentRequests).increment();
            return true;
        }
        return answerHere(ctx, request, asked);
    }

    /** The HLS players of each room now (forwarded requests are the forwarding node's). */
    public HlsPlayers players() {
        return players;
    }

    /**
     * The hub packaged for a URL: the input it names, or the room's program for a room's own URL. Every playlist lists
     * its URIs relative to itself, so those of an input's playlists stay under the input's prefix.
     */
    static FeedId feedOf(WatchName watched) {
        return watched.input() == null ? FeedId.program(watched.room()) : new FeedId(watched.room(), watched.input());
    }

    /** The URL prefix of a room's or an input's HLS files: {@code /hls/{room-id}/} or {@code /hls/{room-id}/{input-id}/}. */
    static String prefixOf(WatchName watched) {
        return PREFIX + watched + "/";
    }

    /** What {@link #handle} found out about a request before answering it here. */
    private record Asked(String path, String roomId, String prefix, String file, boolean isPlaylist, PlayDecision decision,
                         Optional<HlsRoom> hls, boolean deleted, String accessToken, String bandwidthToken, String client, boolean trusted,
                         boolean program, String rendition) {
    }

    /** The rendition id of a {@code {room-id}/r/{rendition-id}} directory, or null for any other. */
    static String renditionOf(String dir) {
        String[] parts = dir.split("/", -1);
        return parts.length == 3 && parts[1].equals(QualityLadder.RENDITIONS_DIR) && !parts[0].isEmpty()
                && WatchName.INPUT_ID.matcher(parts[2]).matches() ? parts[2] : null;
    }

    /** Answers an admitted (or forwarded) request from this node's packager. */
    private boolean answerHere(ChannelHandlerContext ctx, FullHttpRequest request, Asked asked) {
        String roomId = asked.roomId();
        String file = asked.file();
        boolean isPlaylist = asked.isPlaylist();
        PlayDecision decision = asked.decision();
        Optional<HlsRoom> hls = asked.hls();
        boolean deleted = asked.deleted();
        String client = asked.client();
        boolean trusted = asked.trusted();
        PlayDecision.Admitted admitted = decision instanceof PlayDecision.Admitted a ? a : null;
        if (DvrHls.owns(file) && (admitted != null || trusted)) {
            // The DVR window is the recording's: served without the packager, through the session's end and after.
            if (dvr == null || !asked.prefix().equals(PREFIX + roomId + "/")) {
                notFound(ctx, request, "No live DVR window here: it is the room's own, on a room that records with a dvr-window.");
                return true;
            }
            (isPlaylist ? playlistRequests : segmentRequests).increment();
            dvr.handle(ctx, request, roomId, file, new LowLatencyHls.Viewer(bandwidth,
                    admitted == null ? null : bandwidth.watched(roomId, client), tokens(asked, admitted)), playlistCacheControl,
                    privatePlaylistCacheControl, segmentCacheControl);
            return true;
        }
        if (hls.isEmpty()) {
            notFound(ctx, request, "This room has no HLS output.");
            return true;
        }
        if (admitted == null && !deleted && !trusted) {
            PlayRefusals.answer(ctx, request, decision, bandwidth.tokenParameter(), "to the playlist URL as ?",
                    playback.accessParameter());
            return true;
        }
        Optional<String> failure = hls.get().failure();
        if (failure.isPresent()) {
            problem(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, failure.get(), FAILED_RETRY_AFTER_SECONDS);
            return true;
        }
        PlaylistTokens tokens = tokens(asked, admitted);
        // A rendition's segments are judged against its own need: a client moved down to it keeps up with less.
        HlsBandwidth.Client watched = admitted == null ? null : asked.rendition() == null ? bandwidth.watched(roomId, client)
                : bandwidth.watched(roomId, client, playback.renditionNeed(roomId, asked.rendition()));
        if (!isPlaylist && forwarder != null && forwarder.serveCached(ctx, request, asked.path())) {
            segmentRequests.increment(); // media of the room's earlier origin, relayed here before this node took the room over
            return true;
        }
        if (file.equals(HlsRoom.LOW_LATENCY_MASTER_PLAYLIST)) {
            lowLatencyMaster(ctx, request, asked, admitted, tokens);
            return true;
        }
        if (LowLatencyHls.owns(file)) {
            (file.equals(HlsRoom.LOW_LATENCY_PLAYLIST) ? playlistRequests : segmentRequests).increment();
            lowLatency.handle(ctx, request, hls.get(), file, new LowLatencyHls.Viewer(bandwidth, watched, tokens),
                () -> renditionReports(roomId, asked.program(), asked.rendition()));
            return true;
        }
        if (!hls.get().hasTs()) {
            notFound(ctx, request, "This room serves low-latency HLS only: " + asked.prefix() + HlsRoom.LOW_LATENCY_PLAYLIST);
            return true;
        }
        if (isPlaylist) {
            Optional<Playlists> playlists = hls.get().playlists();
            if (playlists.isEmpty() && hls.get().startHoldMs() > 0) {
                // A failover's new publish before its first segment: held as a blocking reload is, not 404.
                HlsRoom room = hls.get();
                PlaylistTokens held = tokens;
                FullHttpRequest kept = request.replace(Unpooled.EMPTY_BUFFER);
                new BlockingWait(ctx, room, () -> room.playlists().isPresent(),
                        () -> sendPlaylist(ctx, kept, room.playlists().orElseThrow(), file, held),
                        () -> problem(ctx, kept, HttpResponseStatus.SERVICE_UNAVAILABLE,
                                "The room's stream is moving to another node; try again.", 1))
                        .start(room.startHoldMs());
                return true;
            }
            if (playlists.isEmpty()) {
                notYet(ctx, request);
                return true;
            }
            Playlists current = playlists.get();
            if (asked.program() && file.equals(HlsRoom.MASTER_PLAYLIST) && hls.get().variant().isPresent()) {
                // The multivariant playlist lists the program's quality renditions, when it has some, beside it.
                QualityLadder.Master ladder = ladderFor(roomId, hls.get().variant().get(), current.view(), claimsOf(asked, admitted),
                        HlsRoom.MEDIA_PLAYLIST);
                current = new Playlists(ladder.text(), current.media(), ladder.tag(), current.mediaTag(), current.lastModified(),
                        current.view());
            }
            sendPlaylist(ctx, request, current, file, tokens);
            return true;
        }
        Optional<SegmentContent> segment = hls.get().segment(file);
        if (segment.isEmpty()) {
            notFound(ctx, request, "No such segment.");
            return true;
        }
        SegmentContent content = segment.get();
        segmentRequests.increment();
        segmentBytes.add(content.info().bytes());
        serve(ctx, request, content.data(), hls.get().segmentContentType(), segmentCacheControl,
                "\"" + content.info().name() + "\"", content.info().completedAt(), bandwidth, watched);
        return true;
    }

    /**
     * The program's multivariant playlist pointing at the media playlists named {@code mediaPlaylist} ({@code index.m3u8}
     * for MPEG-TS, {@code ll-index.m3u8} for LL-HLS) as answered to one viewer: with a measured figure (the bandwidth
     * token the request was admitted on) below the program's requirement, only the renditions that figure carries,
     * highest first (at least the lowest; {@code enforce} refused a figure below it already), counted as a viewer moved
     * down; with no figure, or one that carries the program, the program and every rendition.
     *
     * @param programView the state of the program's media playlist of that name
     */
    private QualityLadder.Master ladderFor(String roomId, fluxrelay.hls.VariantInfo variant, fluxrelay.hls.PlaylistView programView,
                                           fluxrelay.bandwidth.ProbeTokens.Claims claims, String mediaPlaylist) {
        java.util.SortedMap<String, HlsRoom> renditions = packager.renditions(roomId);
        QualityLadder.Master all = QualityLadder.master(mediaPlaylist, variant, programView, renditions, true).orElseThrow();
        if (claims == null || renditions.isEmpty()) {
            return all;
        }
        fluxrelay.bandwidth.BandwidthLadder ladder = playback.ladder(roomId);
        long figure = claims.measuredBitsPerSecond();
        if (ladder.programOnly() || ladder.program().metBy(figure)) {
            return all;
        }
        java.util.SortedMap<String, HlsRoom> listed = new java.util.TreeMap<>(renditions);
        listed.keySet().retainAll(ladder.fitting(figure).stream().map(fluxrelay.bandwidth.RenditionNeed::id).toList());
        Optional<QualityLadder.Master> chosen = QualityLadder.master(mediaPlaylist, variant, programView, listed, false);
        if (chosen.isEmpty()) {
            // The renditions that fit have no output of this kind yet: the viewer gets everything rather than nothing.
            return all;
        }
        bandwidth.movedDown(roomId);
        return chosen.get();
    }

    /**
     * The viewer's bandwidth figure: the one its admission here verified or, for a request another node of the cluster
     * admitted and forwarded (bearing that node's token for the room), that token verified here, so the origin lists the
     * renditions a viewer's figure carries whichever node it asked (the nodes share {@code relay.bandwidth.tokens.secret}).
     */
    private fluxrelay.bandwidth.ProbeTokens.Claims claimsOf(Asked asked, PlayDecision.Admitted admitted) {
        if (admitted != null) {
            return admitted.claims();
        }
        return asked.trusted() && asked.bandwidthToken() != null
                ? playback.bandwidthClaims(asked.bandwidthToken(), asked.roomId()).orElse(null) : null;
    }

    /**
     * The EXT-X-RENDITION-REPORT lines an {@code ll.m3u8} of the program ({@code program}) or of quality rendition
     * {@code rendition} carries for the others of the room that are live (RFC 8216bis 4.4.5.4), each URI relative to
     * that playlist; "" for an input's playlist or a room without renditions.
     */
    private String renditionReports(String roomId, boolean program, String rendition) {
        if (!program && rendition == null) {
            return "";
        }
        java.util.SortedMap<String, HlsRoom> renditions = packager.renditions(roomId);
        if (renditions.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (rendition != null) {
            packager.room(FeedId.program(roomId)).flatMap(HlsRoom::lowLatencyPlaylist).ifPresent(p ->
                    out.append(fluxrelay.hls.LowLatencyPlaylistWriter.renditionReport("../../" + HlsRoom.LOW_LATENCY_PLAYLIST, p.view())));
        }
        renditions.forEach((id, room) -> {
            if (!id.equals(rendition)) {
                room.lowLatencyPlaylist().ifPresent(p -> out.append(fluxrelay.hls.LowLatencyPlaylistWriter.renditionReport(
                        rendition == null ? QualityLadder.mediaUri(id, HlsRoom.LOW_LATENCY_PLAYLIST)
                                : "../" + id + "/" + HlsRoom.LOW_LATENCY_PLAYLIST, p.view())));
            }
        });
        return out.toString();
    }

    /**
     * Answers {@code ll-index.m3u8}: the Low-Latency multivariant playlist, listing the program's {@code ll.m3u8} and
     * (under the room's own prefix) each live rendition's, filtered for the viewer as {@code index.m3u8} is. It shows the
     * figures of the MPEG-TS packaging, so it needs it: an {@code fmp4}-only room has {@code ll.m3u8} alone.
     */
    private void lowLatencyMaster(ChannelHandlerContext ctx, FullHttpRequest request, Asked asked, PlayDecision.Admitted admitted,
                                  PlaylistTokens tokens) {
        HlsRoom room = asked.hls().orElseThrow();
        if (!room.hasLowLatency()) {
            notFound(ctx, request, "This room has no low-latency HLS output.");
            return;
        }
        if (!room.hasTs()) {
            notFound(ctx, request, "This room serves its low-latency media playlist only: " + asked.prefix()
                    + HlsRoom.LOW_LATENCY_PLAYLIST);
            return;
        }
        java.util.function.BooleanSupplier ready = () -> room.variant().isPresent() && room.lowLatencyPlaylist().isPresent();
        java.util.function.Consumer<FullHttpRequest> answer = asking -> {
            fluxrelay.hls.LowLatencyPlaylist media = room.lowLatencyPlaylist().orElseThrow();
            fluxrelay.hls.PlaylistView view = media.view().base();
            QualityLadder.Master ladder = asked.program()
                    ? ladderFor(asked.roomId(), room.variant().orElseThrow(), view, claimsOf(asked, admitted),
                    HlsRoom.LOW_LATENCY_PLAYLIST)
                    : QualityLadder.master(HlsRoom.LOW_LATENCY_PLAYLIST, room.variant().orElseThrow(), view,
                    java.util.Collections.emptySortedMap(), true).orElseThrow();
            sendText(ctx, asking, ladder.text(), ladder.tag(), media.lastModified(), tokens);
        };
        if (ready.getAsBoolean()) {
            answer.accept(request);
        } else if (room.startHoldMs() > 0) {
            // A failover's new publish before its first segment: held as the media playlists are.
            FullHttpRequest kept = request.replace(Unpooled.EMPTY_BUFFER);
            new BlockingWait(ctx, room, ready, () -> answer.accept(kept), () -> problem(ctx, kept, HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "The room's stream is moving to another node; try again.", 1)).start(room.startHoldMs());
        } else {
            notYet(ctx, request);
        }
    }

    /**
     * The tokens an answered playlist writes into its URIs. The access token admitted the request: it goes on, as it
     * came. A forwarded request carries the tokens its node admitted and issued: they go into the URIs as they came.
     */
    private PlaylistTokens tokens(Asked asked, PlayDecision.Admitted admitted) {
        boolean isPlaylist = asked.isPlaylist();
        String accessToken = asked.accessToken();
        return asked.trusted()
                ? new PlaylistTokens(bandwidth.tokenParameter(), isPlaylist && asked.bandwidthToken() != null ? asked.bandwidthToken() : "",
                        playback.accessParameter(), isPlaylist && accessToken != null ? accessToken : "")
                : new PlaylistTokens(bandwidth.tokenParameter(),
                isPlaylist && admitted != null ? bandwidth.playlistToken(asked.roomId(), admitted.claims()) : "", playback.accessParameter(),
                isPlaylist && (admitted == null ? accessToken != null : admitted.access() != null) ? accessToken : "");
    }

    /** Sends the multivariant or media playlist, with the viewer's tokens written into its URIs. */
    private void sendPlaylist(ChannelHandlerContext ctx, FullHttpRequest request, Playlists current, String file,
                              PlaylistTokens tokens) {
        boolean master = file.equals(HlsRoom.MASTER_PLAYLIST);
        sendText(ctx, request, master ? current.master() : current.media(), master ? current.masterTag() : current.mediaTag(),
                current.lastModified(), tokens);
    }

    /** Sends a playlist's {@code text}, with the viewer's tokens written into its URIs. */
    private void sendText(ChannelHandlerContext ctx, FullHttpRequest request, String text, String tag, long lastModified,
                          PlaylistTokens tokens) {
        playlistRequests.increment();
        // String.getBytes copies a Latin-1 string at memory speed; Netty's encoder goes a character at a time.
        ByteBuf body = Unpooled.wrappedBuffer((tokens.any() ? tokens.writeInto(text) : text).getBytes(StandardCharsets.UTF_8));
        serve(ctx, request, body, PLAYLIST_TYPE, tokens.any() ? privatePlaylistCacheControl : playlistCacheControl, tag,
                lastModified, null, null);
    }

    /**
     * Sends {@code body} (taking it over) whole, as a range, or not at all (HEAD, 304, 416). With a watched
     * {@code client}, a body large enough to measure is timed and credited to it.
     */
    /**
     * Playlist and media answers (thousands a second under Low-Latency HLS) set headers named by constants only, so
     * their names are not checked again; values still are.
     */
    private static final HttpHeadersFactory MEDIA_HEADERS = DefaultHttpHeadersFactory.headersFactory().withNameValidation(false);
    private static final HttpDate DATE = new HttpDate();
    private static final HttpDate LAST_MODIFIED = new HttpDate();

    static void serve(ChannelHandlerContext ctx, FullHttpRequest request, ByteBuf body, String contentType,
                      String cacheControl, String etag, long lastModified, HlsBandwidth bandwidth, HlsBandwidth.Client client) {
        HttpHeaders in = request.headers();
        long size = body.readableBytes();
        HttpResponseStatus status = HttpResponseStatus.OK;
        ByteRange range = null;
        if (notModified(in, etag, lastModified)) {
            status = HttpResponseStatus.NOT_MODIFIED;
        } else {
            String ifRange = in.get(HttpHeaderNames.IF_RANGE);
            if (ifRange == null || ifRange.equals(etag)) {
                range = ByteRange.parse(in.get(HttpHeaderNames.RANGE), size);
            }
            if (range == ByteRange.UNSATISFIABLE) {
                status = HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE;
            } else if (range != null) {
                status = HttpResponseStatus.PARTIAL_CONTENT;
            }
        }
        ByteBuf content = Unpooled.EMPTY_BUFFER;
        long length = 0;
        if (status == HttpResponseStatus.OK) {
            length = size;
            content = body.retain();
        } else if (status == HttpResponseStatus.PARTIAL_CONTENT) {
            length = range.length();
            content = body.retainedSlice((int) range.first(), (int) length);
        }
        body.release();
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (head) {
            content.release();
            content = Unpooled.EMPTY_BUFFER;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content, MEDIA_HEADERS,
                DefaultHttpHeadersFactory.trailersFactory());
        HttpHeaders out = response.headers();
        out.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        out.set(HttpHeaderNames.ETAG, etag);
        out.set(HttpHeaderNames.LAST_MODIFIED, LAST_MODIFIED.format(lastModified));
        out.set(HttpHeaderNames.DATE, DATE.format(System.currentTimeMillis()));
        out.set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
        cors(out);
        if (status == HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE) {
            out.set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size);
        } else if (status != HttpResponseStatus.NOT_MODIFIED) {
            out.set(HttpHeaderNames.CONTENT_TYPE, contentType);
            if (range != null) {
                out.set(HttpHeaderNames.CONTENT_RANGE, "bytes " + range.first() + "-" + range.last() + "/" + size);
            }
        }
        if (status != HttpResponseStatus.NOT_MODIFIED) {
            out.set(HttpHeaderNames.CONTENT_LENGTH, length);
        }
        long sent = content.readableBytes();
        if (client == null || !HlsBandwidth.timeable(ctx.channel(), sent)) {
            send(ctx, request, response);
            return;
        }
        long start = System.nanoTime();
        bandwidth.timed(ctx.channel(), send(ctx, request, response), client, sent, start);
    }

    /** If-None-Match wins over If-Modified-Since (RFC 9110 13.1.3); Last-Modified has whole seconds. */
    private static boolean notModified(HttpHeaders in, String etag, long lastModified) {
        String ifNoneMatch = in.get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            for (String candidate : ifNoneMatch.split(",")) {
                String tag = candidate.trim();
                if (tag.startsWith("W/")) {
                    tag = tag.substring(2);
                }
                if (tag.equals("*") || tag.equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        String ifModifiedSince = in.get(HttpHeaderNames.IF_MODIFIED_SINCE);
        if (ifModifiedSince != null) {
            Date since = DateFormatter.parseHttpDate(ifModifiedSince);
            return since != null && lastModified / 1000 <= since.getTime() / 1000;
        }
        return false;
    }

    static void cors(HttpHeaders out) {
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        out.set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
    }

    /** CORS preflight: players may send Range and conditional headers from any origin. */
    private static void preflight(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        HttpHeaders out = response.headers();
        cors(out);
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, HEAD, OPTIONS");
        String asked = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked != null ? asked : "Range, If-None-Match, If-Modified-Since");
        out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 86400);
        out.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        send(ctx, request, response);
    }

    static void notFound(ChannelHandlerContext ctx, FullHttpRequest request, String message) {
        problem(ctx, request, HttpResponseStatus.NOT_FOUND, message, 0);
    }

    /**
     * A playlist the room will have once it is live (or its first part or segment is cut): 404 with {@code Retry-After: 1},
     * which tells a player that asks again (the watch page waiting for the low-latency playlist rather than settling for
     * the MPEG-TS one) from a room that has no such output at all (404 without it).
     */
    static void notYet(ChannelHandlerContext ctx, FullHttpRequest request) {
        problem(ctx, request, HttpResponseStatus.NOT_FOUND, "The room is not live yet.", 1);
    }

    /** A JSON {@code {"error": message}} answer with CORS, never cached; {@code retryAfter} seconds when positive. */
    static void problem(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String message,
                                int retryAfter) {
        ByteBuf body = Unpooled.copiedBuffer("{\"error\":" + Json.quote(message) + "}", StandardCharsets.UTF_8);
        int length = body.readableBytes();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                HttpMethod.HEAD.equals(request.method()) ? Unpooled.EMPTY_BUFFER : body);
        if (HttpMethod.HEAD.equals(request.method())) {
            body.release();
        }
        HttpHeaders out = response.headers();
        out.set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        out.set(HttpHeaderNames.CONTENT_LENGTH, length);
        // Short: the room may go live any moment, and a CDN should not hold on to the 404.
        out.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (retryAfter > 0) {
            out.set(HttpHeaderNames.RETRY_AFTER, retryAfter);
        }
        cors(out);
        send(ctx, request, response);
    }

    static ChannelFuture send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ChannelFuture future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
        return future;
    }
}
