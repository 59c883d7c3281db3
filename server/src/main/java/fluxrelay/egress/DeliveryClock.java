package fluxrelay.egress;

import fluxrelay.netty.LoopHandover;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Tells, by the server's clock, when the bytes written so far on a connection have reached the client: with
 * the kernel's figures (epoll), when every byte was handed to the socket and the peer's TCP acknowledged all
 * of it; otherwise only when the last write completed into the socket buffer (an earlier, optimistic time).
 *
 * <p>The kernel reports segments in flight, not bytes waiting unsent in its buffer, so while timing, the clock
 * caps the unsent bytes the kernel accepts (TCP_NOTSENT_LOWAT, {@link #UNSENT_LIMIT}): the rest waits in the
 * channel's queue, where it is seen. The cap does not limit the congestion window. A client that closes as
 * soon as it has read everything (curl does) must not end the timing before its acknowledgements are read:
 * the connection is kept half-open while the clock runs and closed when it stops if the peer had closed.
 *
 * <p>Used for probes and bandwidth detection only, never per frame: while waiting it reads TCP_INFO every
 * {@link #POLL_MICROS} microseconds on the connection's event loop.
 */
public final class DeliveryClock {

    static final long POLL_MICROS = 1000;
    static final long UNSENT_LIMIT = 16 * 1024;

    private final Channel channel;
    private final TcpFigures figures = new TcpFigures();
    private ScheduledFuture<?> poll;
    private boolean cancelled;
    private long quietSince;

    public DeliveryClock(Channel channel) {
        this.channel = channel;
        if (channel instanceof EpollSocketChannel) {
            channel.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, UNSENT_LIMIT);
            channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
    }

    /** True when delivery is judged by the peer's acknowledgements, false when only by write completion. */
    public boolean kernelEvidence() {
        return TcpFigures.available(channel);
    }

    /**
     * Calls {@code delivered} with {@link System#nanoTime()} once everything up to {@code lastWrite} has been
     * delivered, on the channel's event loop. Nothing is called if the write fails or the connection closes.
     */
    public void whenDelivered(ChannelFuture lastWrite, LongConsumer delivered) {
        lastWrite.addListener(f -> {
            if (!f.isSuccess() || cancelled) {
                return;
            }
            if (!kernelEvidence()) {
                delivered.accept(System.nanoTime());
                return;
            }
            quietSince = 0;
            check(delivered);
        });
    }

    private void check(LongConsumer delivered) {
        poll = null;
        if (!channel.isActive() || cancelled) {
            return;
        }
        long now = System.nanoTime();
        if (figures.read(channel) && figures.unackedSegments() == 0 && pendingBytes() == 0) {
            // Nothing in flight can also be a moment between an ack and the kernel sending the last unsent bytes
            // (which TCP_INFO does not show): delivered only when the next poll still finds nothing in flight.
            if (quietSince != 0) {
                delivered.accept(quietSince);
                return;
            }
            quietSince = now;
        } else {
            quietSince = 0;
        }
        poll = channel.eventLoop().schedule(LoopHandover.onChannelLoop(channel, () -> check(delivered)), POLL_MICROS, TimeUnit.MICROSECONDS);
    }

    private long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        // Pending counts a message whole until it is gone: less what the socket already took of the current one.
        return buffer == null ? 0 : Math.max(0, buffer.totalPendingWriteBytes() - buffer.currentProgress());
    }

    /** The kernel's smoothed round trip now, microseconds, or -1 without kernel figures. */
    public long rttMicros() {
        return figures.read(channel) ? figures.rttMicros() : -1;
    }

    /** Stops waiting for good: no callback follows, and the kernel's unsent limit is back to its default. */
    public void cancel() {
        if (!cancelled && channel instanceof EpollSocketChannel && channel.isOpen()) {
            channel.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, 0L);
            channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, false);
            if (channel instanceof DuplexChannel duplex && duplex.isInputShutdown()) {
                channel.close();
            }
        }
        cancelled = true;
        if (poll != null) {
            poll.cancel(false);
            poll = null;
        }
    }
}
