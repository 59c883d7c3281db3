package fluxrelay.loadtest.flv;

import fluxrelay.loadtest.metrics.ViewerStats;
import fluxrelay.loadtest.stamp.LatencyStamp;
import fluxrelay.loadtest.stamp.LoadClock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.URI;

/**
 * One simulated HTTP-FLV player (flv.js, mpegts.js, ffplay): a single GET whose endless response is an FLV
 * stream, skimmed tag by tag ({@link FlvSkimmer}) for sizes, keyframes and latency stamps. Follows
 * {@code HttpClientCodec} in the pipeline; runs on the channel's event loop.
 */
public final class HttpFlvPlayer extends ChannelInboundHandlerAdapter implements FlvSkimmer.Listener {

    private static final int VIDEO = 9;
    private static final int AUDIO = 8;

    private final URI url;
    private final ViewerStats stats;
    private final FlvSkimmer skimmer = new FlvSkimmer(this);
    private int nalLengthSize = 4;
    private boolean closing;

    public HttpFlvPlayer(URI url, ViewerStats stats) {
        this.url = url;
        this.stats = stats;
    }

    /** Stops the viewer; a later close of the connection is not a failure. */
    public void closing() {
        closing = true;
        stats.closed();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String path = url.getRawPath() + (url.getRawQuery() != null ? "?" + url.getRawQuery() : "");
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set(HttpHeaderNames.HOST, url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : ""))
                .set(HttpHeaderNames.USER_AGENT, "fluxrelay-loadtest")
                .set(HttpHeaderNames.ACCEPT, "*/*");
        ctx.writeAndFlush(request, ctx.voidPromise());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response && !response.status().equals(HttpResponseStatus.OK)) {
                fail(ctx, "HTTP " + response.status().code());
                return;
            }
            if (msg instanceof HttpContent content && !closing) {
                skimmer.feed(content.content());
                if (msg instanceof LastHttpContent) {
                    fail(ctx, "the server ended the response");
                }
            }
        } catch (IllegalStateException e) {
            fail(ctx, e.getMessage());
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void tag(int type, int size, ByteBuf prefix) {
        if (type != VIDEO && type != AUDIO) {
            return;
        }
        long now = System.nanoTime();
        int available = prefix.readableBytes();
        if (type == AUDIO || available < 2) {
            stats.media(now, size, 1, false);
            return;
        }
        int first = prefix.getUnsignedByte(0);
        boolean avc = (first & 0x0F) == 7;
        int packetType = prefix.getUnsignedByte(1);
        if (avc && packetType == 0) {
            nalLengthSize = LatencyStamp.nalLengthSize(prefix, 0, available);
            stats.media(now, size, 1, false);
            return;
        }
        boolean keyframe = (first >> 4) == 1 && (!avc || packetType == 1);
        stats.media(now, size, 1, keyframe);
        long stamp = LatencyStamp.read(prefix, 0, available, nalLengthSize);
        if (stamp != LatencyStamp.NONE) {
            stats.stamp(stamp, LoadClock.microsAt(now), keyframe);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closing) {
            stats.fail("connection closed by the server");
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (!closing) {
            stats.fail(reason);
            closing = true;
            ctx.close();
        }
    }
}
