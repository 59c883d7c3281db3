package fluxrelay.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts a listener's connections: open now and accepted since start. One shared instance per listener,
 * first in each pipeline.
 */
@ChannelHandler.Sharable
public final class ConnectionTracker extends ChannelInboundHandlerAdapter {

    /** {@link System#nanoTime()} when the connection became active: where a viewer's time to first frame starts. */
    public static final AttributeKey<Long> ACTIVE_SINCE_NANOS = AttributeKey.valueOf("fluxrelay.activeSinceNanos");

    private final String protocol;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();

    public ConnectionTracker(String protocol) {
        this.protocol = protocol;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.channel().attr(ACTIVE_SINCE_NANOS).set(System.nanoTime());
        open.incrementAndGet();
        accepted.increment();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    /** "rtmp" or "http". */
    public String protocol() {
        return protocol;
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }

    /** Connections accepted since start. */
    public long accepted() {
        return accepted.sum();
    }
}
