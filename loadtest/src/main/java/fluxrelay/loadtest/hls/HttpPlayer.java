package fluxrelay.loadtest.hls;

import fluxrelay.loadtest.metrics.ViewerStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;

/**
 * What every HTTP viewer of the load tool ({@link HlsPlayer}, {@link LowLatencyHlsPlayer}) does with its one keep-alive
 * connection whatever it plays: resolving URIs against its playlist on that origin only, counting a close or an
 * exception as the viewer's failure (unless it is closing), and giving back the playlist buffer and the reload timer.
 * Used on the connection's event loop only.
 */
abstract class HttpPlayer extends ChannelInboundHandlerAdapter {

    /** A playlist past this is a failure, not something to hold. */
    static final int MAX_PLAYLIST_BYTES = 1 << 20;
    /** The wait before asking again for a playlist answered 404 (a room not live yet). */
    static final long NOT_FOUND_RETRY_MILLIS = 1000;

    final ViewerStats stats;
    /** The media playlist played (the multivariant one until a variant is chosen). */
    URI playlistUri;
    ChannelHandlerContext ctx;
    /** The playlist being received, or null. */
    ByteBuf playlistBody;
    /** The next reload's timer, or null. */
    ScheduledFuture<?> reload;
    boolean closing;
    /** The status of the answer being received (0 before its head). */
    int status;

    HttpPlayer(URI playlistUri, ViewerStats stats) {
        this.playlistUri = playlistUri;
        this.stats = stats;
    }

    /** Stops the viewer; a later close of the connection is not a failure. */
    public void closing() {
        closing = true;
        stats.closed();
        if (reload != null) {
            reload.cancel(false);
        }
    }

    /** Resolves a URI of the playlist ({@code what} names it in the failure); only this connection's origin is supported. */
    final URI resolve(String uri, String what) {
        URI target = playlistUri.resolve(uri);
        if (!Objects.equals(target.getHost(), playlistUri.getHost()) || target.getPort() != playlistUri.getPort()) {
            fail(what + " on another origin: " + target);
            return null;
        }
        return target;
    }

    /** Asks for {@code target} (with {@code extraQuery} added to its query, and a Range header, when not null). */
    final void get(URI target, String extraQuery, String range) {
        status = 0;
        String query = target.getRawQuery();
        if (extraQuery != null) {
            query = query == null ? extraQuery : query + "&" + extraQuery;
        }
        String path = target.getRawPath() + (query != null ? "?" + query : "");
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set(HttpHeaderNames.HOST, target.getHost() + (target.getPort() > 0 ? ":" + target.getPort() : ""))
                .set(HttpHeaderNames.USER_AGENT, "fluxrelay-loadtest")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        if (range != null) {
            request.headers().set(HttpHeaderNames.RANGE, range);
        }
        ctx.writeAndFlush(request, ctx.voidPromise());
    }

    /** Bytes of the answer being received (its status in {@link #status}); borrowed. */
    abstract void body(ByteBuf content);

    /** The answer was received whole. */
    abstract void complete();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (closing) {
                return;
            }
            if (msg instanceof HttpResponse response) {
                status = response.status().code();
            }
            if (msg instanceof HttpContent content) {
                body(content.content());
                if (msg instanceof LastHttpContent) {
                    complete();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closing) {
            stats.fail("connection closed by the server");
        }
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** The viewer failed: counted once, and its connection closed. */
    final void fail(String reason) {
        if (!closing) {
            stats.fail(reason);
            closing = true;
            if (reload != null) {
                reload.cancel(false);
            }
            ctx.close();
        }
    }

    private void release() {
        if (playlistBody != null) {
            playlistBody.release();
            playlistBody = null;
        }
        if (reload != null) {
            reload.cancel(false);
        }
    }
}
