package fluxrelay.http;

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
import java.util.function.Function;

/**
 * HTTP-FLV playback at {@code /{app}/{room-id}.flv}: a chunked {@code video/x-flv} response that flv.js,
 * mpegts.js, ffplay and VLC play. Rooms are addressed by their public id, never by the stream name.
 */
public final class HttpFlvRoute implements HttpRoute {

    private final RoomRegistry rooms;
    private final Function<Room, LiveStream> streams;
    private final ViewerLimits limits;
    private final fluxrelay.egress.EgressCounters egress;
    private final java.util.function.BooleanSupplier accepting;
    private final fluxrelay.rooms.ActivityListener activity;
    private final int maxViewers;

    /**
     * @param accepting false while the server drains: new viewers are refused with 503
     */
    public HttpFlvRoute(RoomRegistry rooms, Function<Room, LiveStream> streams, ViewerLimits limits,
                        fluxrelay.egress.EgressCounters egress, java.util.function.BooleanSupplier accepting,
                        fluxrelay.rooms.ActivityListener activity, int maxViewers) {
        this.maxViewers = maxViewers;
        this.accepting = accepting;
        this.activity = activity;
        this.rooms = rooms;
        this.streams = streams;
        this.limits = limits;
        this.egress = egress;
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
        new HttpFlvViewer(ctx.channel(), room, limits, egress, activity).start(live);
        return true;
    }
}
