package fluxrelay.http;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.bandwidth.VerdictSource;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.flv.FlvFileHeader;
import fluxrelay.rooms.Room;
import fluxrelay.rooms.RoomRegistry;
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
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP-FLV playback at {@code /{app}/{room-id}.flv}: a chunked {@code video/x-flv} response that flv.js,
 * mpegts.js, ffplay and VLC play. Rooms are addressed by their public id, never by the stream name.
 *
 * <p>In a room whose bandwidth policy is {@code enforce}, the URL must carry a probe token ({@code
 * ?bwtoken=...}, from {@link BandwidthProbeRoute}) whose measured rate meets the room's requirement; otherwise
 * the answer is 403 with JSON giving the figures. Viewers of checked rooms are monitored while they play.
 */
public final class HttpFlvRoute implements HttpRoute {

    private static final Logger log = LoggerFactory.getLogger(HttpFlvRoute.class);

    private final RoomRegistry rooms;
    private final Function<Room, LiveStream> streams;
    private final ViewerLimits limits;
    private final fluxrelay.egress.EgressCounters egress;
    private final java.util.function.BooleanSupplier accepting;
    private final fluxrelay.rooms.ActivityListener activity;
    private final int maxViewers;
    private final BandwidthRegistry bandwidth;

    /**
     * @param accepting false while the server drains: new viewers are refused with 503
     * @param bandwidth per-room bandwidth requirements, probe tokens and viewer monitoring
     */
    public HttpFlvRoute(RoomRegistry rooms, Function<Room, LiveStream> streams, ViewerLimits limits,
                        fluxrelay.egress.EgressCounters egress, java.util.function.BooleanSupplier accepting,
                        fluxrelay.rooms.ActivityListener activity, int maxViewers,
                        BandwidthRegistry bandwidth) {
        this.maxViewers = maxViewers;
        this.accepting = accepting;
        this.activity = activity;
        this.rooms = rooms;
        this.streams = streams;
        this.limits = limits;
        this.egress = egress;
        this.bandwidth = bandwidth;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.endsWith(".flv")) {
            return false;
        }
        String[] parts = path.substring(1, path.length() - 4).split("/");
        if (parts.length != 2) {
            return false;
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET.");
            return true;
        }
        if (!accepting.getAsBoolean()) {
            HttpResponses.error(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "The server is shutting down.");
            return true;
        }
        Room room = rooms.findByPlaybackName(parts[0], parts[1]).orElse(null);
        if (room == null) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such room.");
            return true;
        }
        LiveStream live = streams.apply(room);
        if (live.snapshot().subscribers() >= maxViewers) {
            HttpResponses.error(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "This room is full: try again later.");
            return true;
        }
        if (!admitted(ctx, request, room)) {
            return true;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store");
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
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
        new HttpFlvViewer(ctx.channel(), room, limits, egress, activity,
                bandwidth.watch(room.id(), String.valueOf(ctx.channel().remoteAddress())),
                new ChannelViewer.Monitoring(monitor.interval().toNanos(), monitor.unsentLimitBytes())).start(live);
        return true;
    }

    /** Applies the room's bandwidth policy to the request's probe token; false when refused (403 sent). */
    private boolean admitted(ChannelHandlerContext ctx, FullHttpRequest request, Room room) {
        BandwidthRequirement requirement = bandwidth.requirement(room.id());
        if (!requirement.checked()) {
            return true;
        }
        String parameter = bandwidth.settings().tokenParameter();
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get(parameter);
        String token = values == null || values.isEmpty() ? null : values.get(0);
        Optional<ProbeTokens.Claims> claims = bandwidth.tokens().verify(token, room.id());
        String viewer = String.valueOf(ctx.channel().remoteAddress());
        String probe = BandwidthProbeRoute.PREFIX + room.id();
        if (claims.isEmpty()) {
            if (requirement.policy() != BandwidthPolicy.ENFORCE) {
                return true;
            }
            bandwidth.room(room.id()).refusedUnchecked();
            log.info("{}: http-flv play of room {} refused: no valid bandwidth token", viewer, room.id());
            HttpResponses.json(ctx, request, HttpResponseStatus.FORBIDDEN, ProbeJson.refusal(
                    "This room needs a passed bandwidth check: run the probe and add its token as ?" + parameter + "=.",
                    null, requirement.bitsPerSecond(), probe));
            return false;
        }
        BandwidthVerdict verdict = BandwidthVerdict.judge(bandwidth.clock().instant(), room.id(), viewer, VerdictSource.TOKEN,
                claims.get().measurement(), requirement);
        if (verdict.ok()) {
            return true;
        }
        if (requirement.policy() == BandwidthPolicy.ENFORCE) {
            bandwidth.room(room.id()).refused(verdict);
            log.info("{}: http-flv play of room {} refused: {}", viewer, room.id(), verdict.figures());
            HttpResponses.json(ctx, request, HttpResponseStatus.FORBIDDEN, ProbeJson.refusal(
                    "Your connection is too slow for this stream: " + verdict.figures() + ".", verdict,
                    requirement.bitsPerSecond(), probe));
            return false;
        }
        bandwidth.room(room.id()).record(verdict);
        log.warn("{}: http-flv viewer of room {} plays below the required rate ({})", viewer, room.id(), verdict.figures());
        return true;
    }
}
