package fluxrelay.http;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.flv.FlvFileHeader;
import fluxrelay.playback.PlayDecision;
import fluxrelay.playback.PlayRequest;
import fluxrelay.playback.PlaybackService;
import fluxrelay.playback.ViewerKind;
import fluxrelay.playback.WatchName;
import fluxrelay.rooms.Room;
import fluxrelay.stream.LiveStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP-FLV playback at {@code /{app}/{room-id}.flv} (the room's program) and {@code /{app}/{room-id}/{input-id}.flv}
 * (one input of the room, {@link WatchName}): a chunked {@code video/x-flv} response that flv.js, mpegts.js, ffplay
 * and VLC play. Rooms and inputs are addressed by their public ids, never by a stream name.
 *
 * <p>In a room whose bandwidth policy is {@code enforce}, the URL must carry a probe token ({@code
 * ?bwtoken=...}, from {@link BandwidthProbeRoute}) whose measured rate meets the room's requirement; otherwise
 * the answer is 403 with JSON giving the figures. Viewers of checked rooms are monitored while they play.
 *
 * <p>A viewer of the program given a quality rendition instead (its probe token's figure is below the room's
 * requirement) is told in response headers: {@value #RENDITION_HEADER} names the rendition, {@value #MEASURED_HEADER}
 * and {@value #REQUIRED_HEADER} give the measured figure and the program's requirement in Mbit/s (exposed to scripts
 * of other origins).
 *
 * <p>{@code ?tracks=all} on the program's URL adds its renditions as Enhanced RTMP v2 multitrack tags of tracks 1..N
 * (track 0 is the program, as without it), for players that read multitrack FLV; without it the bytes are as ever.
 *
 * <p>In a room whose viewer access is {@code token}, the URL must carry a valid access token ({@code ?access=...});
 * otherwise the answer is 401 (none) or 403 with JSON naming what is wrong. Revoking its attendee disconnects it.
 */
public final class HttpFlvRoute implements HttpRoute {

    private static final Logger log = LoggerFactory.getLogger(HttpFlvRoute.class);

    /** The query parameter that asks for the program's renditions as extra tracks ({@code ?tracks=all}). */
    public static final String TRACKS_PARAMETER = "tracks";
    private static final String TRACKS_ALL = "all";
    /** The header naming the rendition a viewer of the program was given instead of it. */
    public static final String RENDITION_HEADER = "X-Rendition";
    /** The measured figure (Mbit/s) a viewer was given a rendition on. */
    public static final String MEASURED_HEADER = "X-Bandwidth-Measured-Mbps";
    /** The program's requirement (Mbit/s) that figure was below. */
    public static final String REQUIRED_HEADER = "X-Bandwidth-Required-Mbps";

    private final PlaybackService playback;
    private final ViewerLimits limits;
    private final fluxrelay.egress.EgressCounters egress;
    private final java.util.function.BooleanSupplier accepting;
    private final fluxrelay.rooms.ActivityListener activity;
    private final BandwidthRegistry bandwidth;

    /**
     * @param playback admits viewers
     * @param accepting false while the server drains: new viewers are refused with 503
     * @param bandwidth the token parameter and viewer monitoring
     */
    public HttpFlvRoute(PlaybackService playback, ViewerLimits limits,
                        fluxrelay.egress.EgressCounters egress, java.util.function.BooleanSupplier accepting,
                        fluxrelay.rooms.ActivityListener activity,
                        BandwidthRegistry bandwidth) {
        this.accepting = accepting;
        this.activity = activity;
        this.playback = playback;
        this.limits = limits;
        this.egress = egress;
        this.bandwidth = bandwidth;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.endsWith(".flv") || path.startsWith(HlsRoute.PREFIX)) {
            return false;
        }
        // /{app}/{room-id}.flv plays the room's program (?rendition=240p one rendition of it), /{app}/{room-id}/{input-id}.flv
        // one input.
        String[] parts = path.substring(1, path.length() - 4).split("/", 2);
        if (parts.length != 2 || parts[0].isEmpty()) {
            return false;
        }
        Optional<WatchName> watched = WatchName.parse(parts[1]);
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET.");
            return true;
        }
        if (!accepting.getAsBoolean()) {
            HttpResponses.error(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "The server is shutting down.");
            return true;
        }
        String viewer = String.valueOf(ctx.channel().remoteAddress());
        if (watched.isEmpty()) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such room or input.");
            return true;
        }
        String tracks = PlayRefusals.token(request, TRACKS_PARAMETER);
        if (tracks != null && !TRACKS_ALL.equals(tracks)) {
            HttpResponses.error(ctx, request, HttpResponseStatus.BAD_REQUEST, "?tracks takes only 'all'.");
            return true;
        }
        PlayDecision decision = playback.admit(new PlayRequest(parts[0], watched.get().room(), watched.get().feed(),
                ViewerKind.HTTP_FLV, PlayRefusals.token(request, bandwidth.settings().tokenParameter()), viewer, null, false)
                .withAccess(PlayRefusals.token(request, playback.accessParameter()), PlayRefusals.address(ctx))
                .withRendition(PlayRefusals.token(request, PlayRequest.RENDITION_PARAMETER)));
        if (decision instanceof PlayDecision.NotFound && watched.get().input() != null) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such room or input.");
            return true;
        }
        if (!(decision instanceof PlayDecision.Admitted admitted)) {
            PlayRefusals.answer(ctx, request, decision, bandwidth.settings().tokenParameter(), "as ?", playback.accessParameter());
            return true;
        }
        Room room = admitted.room();
        LiveStream live = admitted.stream();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store");
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        movedDownHeaders(response, admitted.moved());
        if (HttpMethod.HEAD.equals(request.method())) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            ctx.writeAndFlush(response);
            return true;
        }
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.write(response);
        ByteBuf header = ctx.alloc().buffer(FlvFileHeader.LENGTH_WITH_TAG_SIZE0);
        FlvFileHeader.write(header, true, true);
        ctx.writeAndFlush(new DefaultHttpContent(header));
        // The response never ends: whatever the client sends afterwards is read (so a close is seen) and dropped,
        // and the request timeouts no longer apply.
        ctx.pipeline().replace(ctx.handler(), "discard", new DiscardInbound());
        if (ctx.pipeline().get(fluxrelay.netty.RequestTimeout.class) != null) {
            ctx.pipeline().remove(fluxrelay.netty.RequestTimeout.class);
        }
        var monitor = bandwidth.settings().monitor();
        HttpFlvViewer flv = new HttpFlvViewer(ctx.channel(), room, limits, egress, activity,
                playback.watch(admitted, String.valueOf(ctx.channel().remoteAddress())),
                new ChannelViewer.Monitoring(monitor.interval().toNanos(), monitor.unsentLimitBytes()));
        flv.admittedAs(admitted.attendee());
        if (tracks != null && admitted.movedTo() == null && live.feedId().isProgram()) {
            // The program's renditions beside it, as Enhanced RTMP v2 OneTrack tags of tracks 1..N.
            String roomId = room.id();
            flv.withRenditionTracks(() -> playback.renditions(roomId), id -> playback.renditionHub(roomId, id));
        }
        flv.start(live);
        return true;
    }

    /** Names the rendition and the figures when the viewer was given one instead of the program. */
    private static void movedDownHeaders(HttpResponse response, PlayDecision.MovedDown moved) {
        if (moved == null) {
            return;
        }
        response.headers().set(RENDITION_HEADER, moved.rendition());
        response.headers().set(MEASURED_HEADER, String.format(java.util.Locale.ROOT, "%.3f", moved.measuredMbps()));
        response.headers().set(REQUIRED_HEADER, String.format(java.util.Locale.ROOT, "%.3f", moved.requiredMbps()));
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS,
                RENDITION_HEADER + ", " + MEASURED_HEADER + ", " + REQUIRED_HEADER);
    }
}
