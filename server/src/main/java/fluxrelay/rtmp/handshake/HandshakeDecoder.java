package fluxrelay.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.internal.logging.InternalLogger;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * What both handshake handlers share: the timeout, and the three ways a handshake ends (completed: event,
 * then self-removal, which hands the bytes after the handshake to the next handler; failed: event, then
 * close; peer closed). Runs entirely on the channel's event loop.
 *
 * <p>Buffer ownership: inbound bytes are accumulated by {@link ByteToMessageDecoder}; those left after the
 * handshake are passed on, and the next handler owns (releases) them. Every outbound buffer is handed to
 * {@code ctx.write}, which owns it from then on.
 */
abstract sealed class HandshakeDecoder extends ByteToMessageDecoder
        permits ServerHandshakeHandler, ClientHandshakeHandler {

    final HandshakeLimits limits;
    private final InternalLogger logger;

    private ScheduledFuture<?> timeout;
    private boolean started;
    private boolean finished;
    private boolean failed;

    HandshakeDecoder(HandshakeLimits limits, InternalLogger logger) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.logger = logger;
    }

    /** Called once, on the event loop, when the channel is active and this handler is in the pipeline. */
    abstract void start(ChannelHandlerContext ctx);

    /** Consumes handshake bytes; ends by calling {@link #complete} or {@link #fail}, or returns for more. */
    abstract void decodeHandshake(ChannelHandlerContext ctx, ByteBuf in);

    /** Hook for the end of the handshake, after the event is fired; the client completes its future here. */
    void finished(HandshakeEvent outcome) {
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            startOnce(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startOnce(ctx);
        super.channelActive(ctx);
    }

    private void startOnce(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        timeout = ctx.executor().schedule(() -> onTimeout(ctx), limits.timeout().toNanos(), TimeUnit.NANOSECONDS);
        start(ctx);
    }

    private void onTimeout(ChannelHandlerContext ctx) {
        if (!finished) {
            fail(ctx, HandshakeIssue.TIMEOUT, "not finished within " + limits.timeout());
        }
    }

    @Override
    protected final void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes()); // the channel is closing: drop what still comes
            return;
        }
        if (finished) {
            return; // completed, removal pending: the rest belongs to the next handler
        }
        decodeHandshake(ctx, in);
    }

    /** Ends the handshake successfully: fires {@code event}, then removes this handler. */
    final void complete(ChannelHandlerContext ctx, HandshakeCompleted event) {
        end();
        if (logger.isDebugEnabled()) {
            logger.debug("RTMP handshake with {} completed: {} (client version 0x{})",
                    ctx.channel().remoteAddress(), event.kind(), Long.toHexString(event.clientVersion()));
        }
        ctx.fireUserEventTriggered(event);
        finished(event);
        ctx.pipeline().remove(this);
    }

    /** Ends the handshake in failure: logs with the peer's address, fires {@link HandshakeFailed}, closes. */
    final void fail(ChannelHandlerContext ctx, HandshakeIssue issue, String detail) {
        end();
        failed = true;
        logger.info("RTMP handshake with {} failed: {} ({}); closing", ctx.channel().remoteAddress(),
                issue.label(), detail);
        HandshakeFailed event = new HandshakeFailed(issue);
        ctx.fireUserEventTriggered(event);
        finished(event);
        ctx.close();
    }

    /** Reports a tolerated oddity; the handshake goes on. */
    final void warn(ChannelHandlerContext ctx, HandshakeIssue issue, String detail) {
        logger.info("RTMP handshake with {}: {} ({}); continuing", ctx.channel().remoteAddress(),
                issue.label(), detail);
        ctx.fireUserEventTriggered(new HandshakeWarning(issue));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            end();
            failed = true;
            logger.debug("RTMP handshake with {} failed: peer closed the connection", ctx.channel().remoteAddress());
            HandshakeFailed event = new HandshakeFailed(HandshakeIssue.PEER_CLOSED);
            ctx.fireUserEventTriggered(event);
            finished(event);
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void end() {
        finished = true;
        cancelTimeout();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
