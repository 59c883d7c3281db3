package fluxrelay.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.http.HttpResponses;
import fluxrelay.http.HttpRoute;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;

/**
 * The public state of a room, for the watch page: no authentication, and nothing an attendee must not see (no stream
 * name, publisher address, encoder or viewer figures).
 *
 * <pre>
 * GET /api/public/rooms/{id}          {id, title, live, shown, publishing, access, accessParameter, bandwidth, urls,
 *                                      inputs (several only), rtmpPort}
 * GET /api/public/rooms/{id}/events   server-sent events: "room" with the same JSON at once and on every change,
 *                                     "gone" when the room is deleted (then the stream ends)
 * </pre>
 *
 * <p>The events are the room's state read every {@link #CHECK_EVERY} on the connection's event loop and sent when it
 * changed, with a comment line every {@link #KEEP_ALIVE} so that proxies keep the connection open: a waiting page sees
 * GO LIVE within a fraction of a second.
 */
public final class PublicRoomRoute implements HttpRoute {

    static final String PREFIX = "/api/public/rooms/";
    static final Duration CHECK_EVERY = Duration.ofMillis(250);
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    /**
     * What the server offers viewers, the same for every room.
     *
     * @param hls whether HLS (and LL-HLS) is served
     * @param accessParameter the query parameter carrying a viewer access token
     * @param bandwidthParameter the query parameter carrying a bandwidth token
     * @param rtmpPort the bound RTMP port (read at each request: known once the listener is bound), for the console's
     *     FMS URL; {@code GET /} shows it to anyone too
     */
    public record Offer(boolean hls, String accessParameter, String bandwidthParameter, IntSupplier rtmpPort) {
    }

    private final Function<String, Map<String, Object>> rooms;
    private final Offer offer;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param rooms a room's admin view by id (the shape of {@code GET /api/rooms/{id}}), or null when there is no such
     *     room; only the public fields of it are passed on
     * @param offer what the server offers viewers
     */
    public PublicRoomRoute(Function<String, Map<String, Object>> rooms, Offer offer) {
        this.rooms = rooms;
        this.offer = offer;
    }

    @Override
    public boolean handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        boolean events = parts.length == 2 && parts[1].equals("events");
        if (parts[0].isEmpty() || parts.length > 2 || (parts.length == 2 && !events)) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such resource.");
            return true;
        }
        if (!HttpMethod.GET.equals(request.method()) && !(HttpMethod.HEAD.equals(request.method()) && !events)) {
            HttpResponses.error(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "Use GET.", HttpHeaderNames.ALLOW, "GET");
            return true;
        }
        String id = parts[0];
        Map<String, Object> room = publicView(id);
        if (room == null) {
            HttpResponses.error(ctx, request, HttpResponseStatus.NOT_FOUND, "No such room.");
        } else if (events) {
            stream(ctx, id, encode(room));
        } else {
            HttpResponses.json(ctx, request, HttpResponseStatus.OK, encode(room), HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        }
        return true;
    }

    /** The public fields of room {@code id}, or null when there is no such room. */
    Map<String, Object> publicView(String id) {
        Map<String, Object> admin = rooms.apply(id);
        if (admin == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", admin.get("id"));
        out.put("title", admin.get("title"));
        out.put("live", Boolean.TRUE.equals(admin.get("live")));
        out.put("shown", Boolean.TRUE.equals(admin.get("shown")));
        out.put("publishing", Boolean.TRUE.equals(admin.get("publishing")));
        out.put("access", "token".equals(admin.get("viewerAccess")) ? "token" : "open");
        out.put("accessParameter", offer.accessParameter());
        Map<String, Object> bandwidth = new LinkedHashMap<>();
        if (admin.get("bandwidth") instanceof Map<?, ?> own) {
            bandwidth.put("requiredMbps", own.get("requiredMbps"));
            bandwidth.put("policy", own.get("policy"));
        }
        bandwidth.put("probe", "/bwcheck/" + id);
        bandwidth.put("tokenParameter", offer.bandwidthParameter());
        out.put("bandwidth", bandwidth);
        Map<String, Object> urls = new LinkedHashMap<>();
        if (offer.hls()) {
            urls.put("llHls", "/hls/" + id + "/ll.m3u8");
            urls.put("hls", "/hls/" + id + "/index.m3u8");
        }
        urls.put("httpFlv", "/live/" + id + ".flv");
        out.put("urls", urls);
        List<Map<String, Object>> angles = inputs(id, admin.get("inputs"));
        if (!angles.isEmpty()) {
            out.put("inputs", angles);
        }
        out.put("rtmpPort", offer.rtmpPort().getAsInt());
        return out;
    }

    /**
     * A room's camera angles: with several inputs, each input's id, whether it publishes, whether it is on air and its
     * HLS paths (never its stream name); empty for a room with one input, whose view has no {@code inputs} (its URLs are
     * the room's).
     */
    private List<Map<String, Object>> inputs(String id, Object adminInputs) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (adminInputs instanceof List<?> all && all.size() > 1) {
            for (Object one : all) {
                if (one instanceof Map<?, ?> input && input.get("id") instanceof String inputId) {
                    Map<String, Object> angle = new LinkedHashMap<>();
                    angle.put("id", inputId);
                    angle.put("publishing", Boolean.TRUE.equals(input.get("publishing")));
                    angle.put("onAir", Boolean.TRUE.equals(input.get("onAir")));
                    Map<String, Object> urls = new LinkedHashMap<>();
                    if (offer.hls()) {
                        urls.put("llHls", "/hls/" + id + "/" + inputId + "/ll.m3u8");
                        urls.put("hls", "/hls/" + id + "/" + inputId + "/index.m3u8");
                    }
                    angle.put("urls", urls);
                    out.add(angle);
                }
            }
        }
        return out;
    }

    private String encode(Map<String, Object> view) {
        try {
            return json.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a room view is plain JSON", e);
        }
    }

    /** Opens the event stream: the state now, then every change, until the client leaves or the room is deleted. */
    private void stream(ChannelHandlerContext ctx, String id, String first) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set("X-Accel-Buffering", "no");
        ctx.write(response);
        // "retry" tells the browser how soon to reconnect after a dropped connection.
        ctx.writeAndFlush(chunk("retry: 1000\nevent: room\ndata: " + first + "\n\n"));
        // The response never ends by itself: further input is dropped, and the request timeouts no longer apply.
        ctx.pipeline().replace(ctx.handler(), "sse-discard", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext c, Object msg) {
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext c, Throwable cause) {
                c.close();
            }
        });
        if (ctx.pipeline().get("timeout") != null) {
            ctx.pipeline().remove("timeout");
        }
        long keepAliveTicks = KEEP_ALIVE.toMillis() / CHECK_EVERY.toMillis();
        String[] last = {first};
        long[] ticks = {0};
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = ctx.executor().scheduleAtFixedRate(() -> {
            if (!ctx.channel().isActive()) {
                task[0].cancel(false);
                return;
            }
            Map<String, Object> now;
            try {
                now = publicView(id);
            } catch (RuntimeException e) {
                return; // the state cannot be read just now (a cluster's store): the next tick tries again
            }
            if (now == null) {
                task[0].cancel(false);
                ctx.write(chunk("event: gone\ndata: {}\n\n"));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            String encoded = encode(now);
            if (!encoded.equals(last[0])) {
                last[0] = encoded;
                ticks[0] = 0;
                ctx.writeAndFlush(chunk("event: room\ndata: " + encoded + "\n\n"));
            } else if (++ticks[0] >= keepAliveTicks) {
                ticks[0] = 0;
                ctx.writeAndFlush(chunk(": keep-alive\n\n"));
            }
        }, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        ctx.channel().closeFuture().addListener(f -> task[0].cancel(false));
    }

    private static DefaultHttpContent chunk(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }
}
