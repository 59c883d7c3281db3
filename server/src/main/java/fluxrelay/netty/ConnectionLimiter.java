package fluxrelay.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caps connections, in total and per client IP, across the listeners that share it: a connection over a
 * cap is closed at once, counted, and logged (at most once a second, so a flood cannot flood the log).
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxTotal;
    private final int maxPerIp;
    private final AtomicInteger total = new AtomicInteger();
    private final Map<InetAddress, AtomicInteger> perIp = new ConcurrentHashMap<>();
    private final LongAdder refusedTotal = new LongAdder();
    private final LongAdder refusedPerIp = new LongAdder();
    private volatile long lastLogNanos;

    /**
     * @param maxTotal most connections open at once, 0 for no cap
     * @param maxPerIp most connections open at once from one IP, 0 for no cap
     */
    public ConnectionLimiter(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress ip = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        int open = total.incrementAndGet();
        int fromIp = ip == null ? 0 : perIp.computeIfAbsent(ip, k -> new AtomicInteger()).incrementAndGet();
        ctx.channel().closeFuture().addListener(f -> release(ip));
        if (maxTotal > 0 && open > maxTotal) {
            refuse(ctx, refusedTotal, "the server is at its connection limit (" + maxTotal + ")");
            return;
        }
        if (maxPerIp > 0 && fromIp > maxPerIp) {
            refuse(ctx, refusedPerIp, "too many connections from this address (limit " + maxPerIp + ")");
            return;
        }
        ctx.fireChannelActive();
    }

    private void release(InetAddress ip) {
        total.decrementAndGet();
        if (ip != null) {
            perIp.computeIfPresent(ip, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
        }
    }

    private void refuse(ChannelHandlerContext ctx, LongAdder counter, String why) {
        counter.increment();
        long now = System.nanoTime();
        if (now - lastLogNanos > 1_000_000_000L) {
            lastLogNanos = now;
            log.warn("{}: connection refused: {}", ctx.channel().remoteAddress(), why);
        }
        ctx.close();
    }

    /** Connections refused because the total cap was reached. */
    public long refusedTotal() {
        return refusedTotal.sum();
    }

    /** Connections refused because their IP was at its cap. */
    public long refusedPerIp() {
        return refusedPerIp.sum();
    }
}
