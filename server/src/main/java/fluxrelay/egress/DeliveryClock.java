package fluxrelay.egress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Tells, by the server's clock, when the bytes written so far on a connection have reached the client: with
 * the kernel's figures (epoll), when every byte was handed to the socket and the peer's TCP acknowledged all
 * of it; otherwise only when the last write completed into the socket buffer (an earlier, optimistic time).
 *
 * <p>Used for probes and bandwidth detection only, never per frame: while waiting it reads TCP_INFO every
 * {@link #POLL_MICROS} microseconds on the connection's event loop.
 */
public final class DeliveryClock {

    static final long POLL_MICROS = 1000;

    private final Channel channel;
    private final TcpFigures figures = new TcpFigures();
    private ScheduledFuture<?> poll;
    private boolean cancelled;

    public DeliveryClock(Channel channel) {
        this.channel = channel;
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
            check(delivered);
        });
    }

    private void check(LongConsumer delivered) {
        poll = null;
        if (!channel.isActive() || cancelled) {
            return;
        }
        if (figures.read(channel) && figures.unackedSegments() == 0 && pendingBytes() == 0) {
            delivered.accept(System.nanoTime());
            return;
        }
        poll = channel.eventLoop().schedule(() -> check(delivered), POLL_MICROS, TimeUnit.MICROSECONDS);
    }

    private long pendingBytes() {
        var buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /** The kernel's smoothed round trip now, microseconds, or -1 without kernel figures. */
    public long rttMicros() {
        return figures.read(channel) ? figures.rttMicros() : -1;
    }

    /** Stops waiting for good: no callback follows. */
    public void cancel() {
        cancelled = true;
        if (poll != null) {
            poll.cancel(false);
            poll = null;
        }
    }
}
