package fluxrelay.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Small complete responses: JSON and text bodies, errors with a message, keep-alive handled. */
public final class HttpResponses {

    private HttpResponses() {
    }

    /** Sends a JSON body. */
    public static ChannelFuture json(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String json) {
        return send(ctx, request, status, "application/json; charset=utf-8", json);
    }

    /** Sends a JSON body with one more header, such as {@code Access-Control-Allow-Origin}. */
    public static ChannelFuture json(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String json,
                                     CharSequence header, Object value) {
        return send(ctx, request, status, "application/json; charset=utf-8", Unpooled.copiedBuffer(json, StandardCharsets.UTF_8),
                new DefaultHttpHeaders().add(header, value));
    }

    /** Sends an error as JSON {@code {"error": "..."}}. */
    public static ChannelFuture error(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String message) {
        return json(ctx, request, status, "{\"error\":" + Json.quote(message) + "}");
    }

    /** Sends an error as JSON with one more header, such as {@code Retry-After} on 429 or {@code Allow} on 405. */
    public static ChannelFuture error(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String message,
                                      CharSequence header, Object value) {
        ByteBuf content = Unpooled.copiedBuffer("{\"error\":" + Json.quote(message) + "}", StandardCharsets.UTF_8);
        return send(ctx, request, status, "application/json; charset=utf-8", content,
                new DefaultHttpHeaders().add(header, value));
    }

    /** Sends a text body with the given content type. */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                     String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        return send(ctx, request, status, contentType, content);
    }

    /** Sends a body; HEAD requests get the headers only. Takes ownership of {@code content}. */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                     String contentType, ByteBuf content) {
        return send(ctx, request, status, contentType, content, null);
    }

    /**
     * Sends a body with more headers (or none: null), which replace the defaults of the same name ({@code Cache-Control});
     * HEAD requests get the headers only. Takes ownership of {@code content}.
     */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status,
                                     String contentType, ByteBuf content, HttpHeaders extra) {
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (extra != null) {
            response.headers().setAll(extra);
        }
        if (head) {
            content.release();
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
        return future;
    }
}
