package fluxrelay.egress;

import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ViewerBandwidth;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;

/**
 * Samples one monitored viewer's delivery once per monitoring interval, from its loop's {@link DeliveryMonitor},
 * and feeds its {@link ViewerBandwidth} watch: what the socket drained in the window (bytes handed to the channel
 * less bytes still queued) and whether the viewer was backlogged. The per-flush cost is a counter update; kernel
 * figures are read once per window and only for backlogged viewers.
 *
 * <p>Used on the viewer's event loop, from {@link #start()} to {@link #close()}.
 */
final class BandwidthSampler implements DeliveryMonitor.Sampled {

    /** What the sampler reads of its viewer, and where a flagged verdict goes. */
    interface Source {
        /** Payload bytes handed to the channel so far. */
        long bytesSent();

        /** Payload bytes dropped so far. */
        long bytesDropped();

        /** Bytes waiting in the channel's outbound queue now. */
        long queuedBytes();

        /** The viewer was just found persistently below its room's requirement. */
        void below(BandwidthVerdict verdict);
    }

    private final Channel channel;
    private final ViewerBandwidth bandwidth;
    private final ChannelViewer.Monitoring monitoring;
    private final Source source;
    private DeliveryMonitor monitor;
    private boolean closed;
    private int flushes;
    private int backloggedFlushes;
    private long sampledNanos;
    private long sampledDrained;
    private long sampledDropped;

    BandwidthSampler(Channel channel, ViewerBandwidth bandwidth, ChannelViewer.Monitoring monitoring, Source source) {
        this.channel = channel;
        this.bandwidth = bandwidth;
        this.monitoring = monitoring;
        this.source = source;
    }

    /**
     * Joins the loop's monitor. On epoll the socket's unsent limit (TCP_NOTSENT_LOWAT) is set first, so a backlog
     * waits in the channel's queue where the drop policy and the sampler see it.
     */
    void start() {
        if (monitoring.unsentLimitBytes() > 0 && channel instanceof EpollSocketChannel) {
            channel.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, monitoring.unsentLimitBytes());
        }
        monitor = DeliveryMonitor.forLoop(channel.eventLoop(), monitoring.intervalNanos());
        sampledNanos = System.nanoTime();
        monitor.add(this);
    }

    /** The viewer's connection was flushed, leaving {@code queuedBytes} still queued. */
    void flushed(long queuedBytes) {
        flushes++;
        if (queuedBytes > 0) {
            backloggedFlushes++;
        }
    }

    /**
     * One window: backlogged means frames were dropped, most flushes left data queued, or the channel is above
     * its high water mark. A verdict that flags the viewer goes to {@link Source#below}.
     */
    @Override
    public void sampleDelivery(long nowNanos, TcpFigures figures) {
        if (closed) {
            return;
        }
        long queued = source.queuedBytes();
        long drained = source.bytesSent() - queued;
        long dropped = source.bytesDropped();
        long drainedInWindow = Math.max(0, drained - sampledDrained);
        boolean backlogged = dropped > sampledDropped || (flushes > 0 && backloggedFlushes * 2 >= flushes)
                || (queued > 0 && !channel.isWritable());
        long window = nowNanos - sampledNanos;
        sampledNanos = nowNanos;
        sampledDrained = drained;
        sampledDropped = dropped;
        flushes = 0;
        backloggedFlushes = 0;
        long latency = backlogged && figures.read(channel) ? figures.rttMicros() : -1;
        BandwidthVerdict flagged = bandwidth.window(drainedInWindow, window, backlogged, latency);
        if (flagged != null) {
            source.below(flagged);
        }
    }

    /** The watch fed. */
    ViewerBandwidth bandwidth() {
        return bandwidth;
    }

    /** Leaves the monitor and closes the watch (the viewer's counts leave its room); idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (monitor != null) {
            monitor.remove(this);
            monitor = null;
        }
        bandwidth.close();
    }
}
