package fluxrelay.egress;

import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ViewerBandwidth;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.netty.ConnectionTracker;
import fluxrelay.stream.DropCounters;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.Subscription;
import fluxrelay.stream.Viewer;
import fluxrelay.stream.ViewerDropPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream subscriber that writes to one Netty channel: applies the per-viewer drop policy against the
 * channel's own outbound queue, batches flushes, and disconnects a viewer that stays behind too long.
 *
 * <p>When given a {@link ViewerBandwidth} watch, the viewer's delivery rate is sampled once per monitoring
 * interval by its loop's {@link DeliveryMonitor}: bytes handed to the channel against bytes still queued,
 * and whether the queue stayed backlogged across flushes. The per-frame and per-flush cost is a counter
 * update; kernel figures are read once per interval and only for backlogged viewers.
 *
 * <p>Subclasses encode frames for their protocol (RTMP, HTTP-FLV). All methods run on the channel's
 * event loop.
 */
public abstract class ChannelViewer implements Viewer, FlushBatcher.Target, DeliveryMonitor.Sampled {

    private static final AtomicLong IDS = new AtomicLong();

    protected final Channel channel;
    private final long viewerId = IDS.incrementAndGet();
    private final long joinedAtMillis = System.currentTimeMillis();
    private final long joinedNanos = System.nanoTime();
    private Subscription subscription;
    private boolean left;
    private final ViewerDropPolicy dropPolicy;
    private final DropCounters drops = new DropCounters();
    private final FlushBatcher batcher;
    private boolean flushQueued;
    private boolean lagCheckScheduled;
    private boolean closed;
    private volatile long lastDeliveryNanos = System.nanoTime();
    private long timestampBase = -1;
    /** Whether this viewer's first keyframe is still to be timed: it joined a live room and has not had one yet. */
    private boolean timingFirstFrame;
    private boolean everStarted;
    private volatile long framesSent;
    private volatile long bytesSent;
    private long bytesDropped;
    private final EgressCounters totals;
    private final ViewerBandwidth bandwidth;
    private DeliveryMonitor monitor;
    private int flushes;
    private int backloggedFlushes;
    private long sampledNanos;
    private long sampledDrained;
    private long sampledDropped;

    /** A viewer whose delivery is not watched. */
    protected ChannelViewer(Channel channel, ViewerLimits limits, EgressCounters totals) {
        this(channel, limits, totals, null, null);
    }

    /**
     * A viewer whose delivery is watched when {@code bandwidth} is not null; {@code monitoring} then gives the
     * sampling interval and, on epoll, the unsent limit set on the socket (TCP_NOTSENT_LOWAT) so a backlog
     * waits in the channel's queue where the drop policy and the monitor see it.
     */
    protected ChannelViewer(Channel channel, ViewerLimits limits, EgressCounters totals, ViewerBandwidth bandwidth,
                            Monitoring monitoring) {
        this.channel = channel;
        this.totals = totals;
        totals.joined();
        this.dropPolicy = new ViewerDropPolicy(limits.maxQueuedBytes(), limits.maxLag().toNanos(), (reason, size) -> {
            drops.dropped(reason, size);
            totals.drops().dropped(reason, size);
        });
        this.batcher = FlushBatcher.forLoop(channel.eventLoop(), limits.flush());
        this.bandwidth = bandwidth;
        if (bandwidth != null) {
            if (monitoring.unsentLimitBytes() > 0 && channel instanceof EpollSocketChannel) {
                channel.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, monitoring.unsentLimitBytes());
            }
            monitor = DeliveryMonitor.forLoop(channel.eventLoop(), monitoring.intervalNanos());
            sampledNanos = System.nanoTime();
            monitor.add(this);
        }
    }

    /**
     * How watched viewers are sampled.
     *
     * @param intervalNanos sampling window
     * @param unsentLimitBytes TCP_NOTSENT_LOWAT on epoll sockets, 0 for the kernel default
     */
    public record Monitoring(long intervalNanos, long unsentLimitBytes) {
    }

    @Override
    public final Executor executor() {
        return channel.eventLoop();
    }

    @Override
    public final void onStreamStart(StreamStart start) {
        if (closed) {
            return;
        }
        dropPolicy.restart();
        timingFirstFrame = !everStarted && !start.afterWait() && channel.hasAttr(ConnectionTracker.ACTIVE_SINCE_NANOS);
        everStarted = true;
        started(start);
        requestFlush();
    }

    @Override
    public final void onFrame(MediaFrame frame) {
        if (closed || !channel.isActive()) {
            frame.release();
            return;
        }
        long now = System.nanoTime();
        ViewerDropPolicy.Verdict verdict = dropPolicy.decide(frame, channel.isWritable(), queuedBytes(), now);
        switch (verdict) {
            case DELIVER -> {
                framesSent++;
                lastDeliveryNanos = now;
                if (timestampBase < 0) {
                    timestampBase = frame.timestamp();
                }
                bytesSent += frame.size();
                totals.sent(frame.size());
                if (timingFirstFrame && frame instanceof VideoFrame video && video.isRandomAccessPoint()
                        && !video.isSequenceHeader()) {
                    timingFirstFrame = false;
                    totals.firstFrame(now - channel.attr(ConnectionTracker.ACTIVE_SINCE_NANOS).get());
                }
                write(frame);
                requestFlush();
            }
            case DROP -> {
                bytesDropped += frame.size();
                frame.release();
                scheduleLagCheck();
            }
            case DISCONNECT -> {
                frame.release();
                disconnectLagging();
            }
        }
    }

    /** A viewer that is behind is judged again after the allowed lag, whether or not frames arrive. */
    private void scheduleLagCheck() {
        if (lagCheckScheduled || !dropPolicy.isBehind()) {
            return;
        }
        lagCheckScheduled = true;
        long delay = dropPolicy.maxLagNanos() / 2 + 1;
        channel.eventLoop().schedule(() -> {
            lagCheckScheduled = false;
            if (closed || !channel.isActive()) {
                return;
            }
            if (dropPolicy.overdue(channel.isWritable(), System.nanoTime())) {
                disconnectLagging();
            } else {
                scheduleLagCheck();
            }
        }, delay, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private void disconnectLagging() {
        if (!closed) {
            closed = true;
            stopMonitoring();
            lagging(drops);
        }
    }

    /**
     * One monitoring window: what the socket drained since the last one (bytes handed to the channel minus
     * bytes still queued), and whether the viewer was backlogged (frames dropped, most flushes left data
     * queued, or the channel is above its high water mark). A viewer found persistently below its room's
     * requirement is reported to {@link #insufficientBandwidth}.
     */
    @Override
    public final void sampleDelivery(long nowNanos, TcpFigures figures) {
        if (closed || bandwidth == null) {
            return;
        }
        long queued = queuedBytes();
        long drained = bytesSent - queued;
        long drainedInWindow = Math.max(0, drained - sampledDrained);
        boolean backlogged = bytesDropped > sampledDropped || (flushes > 0 && backloggedFlushes * 2 >= flushes)
                || (queued > 0 && !channel.isWritable());
        long window = nowNanos - sampledNanos;
        sampledNanos = nowNanos;
        sampledDrained = drained;
        sampledDropped = bytesDropped;
        flushes = 0;
        backloggedFlushes = 0;
        long latency = backlogged && figures.read(channel) ? figures.rttMicros() : -1;
        BandwidthVerdict flagged = bandwidth.window(drainedInWindow, window, backlogged, latency);
        if (flagged != null) {
            insufficientBandwidth(flagged);
        }
    }

    private void stopMonitoring() {
        if (monitor != null) {
            monitor.remove(this);
            monitor = null;
        }
        if (bandwidth != null) {
            bandwidth.close();
        }
    }

    /** The bandwidth watch, or null when the viewer is not monitored. */
    public final ViewerBandwidth bandwidth() {
        return bandwidth;
    }

    /** A joiner's start frames go out at once rather than with the loop's next batch. */
    @Override
    public final void onStartFramesDelivered() {
        if (!closed && channel.isActive()) {
            channel.flush();
        }
    }

    @Override
    public final void onStreamStop(StreamStop reason) {
        if (!closed) {
            stopped(reason);
            requestFlush();
        }
    }

    @Override
    public final void onClosed(String reason) {
        if (!closed) {
            closed = true;
            stopMonitoring();
            ended(reason);
        }
    }

    @Override
    public final void flushNow() {
        flushQueued = false;
        if (channel.isActive()) {
            channel.flush();
            if (bandwidth != null) {
                flushes++;
                if (queuedBytes() > 0) {
                    backloggedFlushes++;
                }
            }
        }
    }

    /**
     * The frame's timestamp on this viewer's own timeline, which starts at 0 with the first frame it was sent
     * (as FMS does): players see metadata at 0 (ffmpeg would otherwise turn it into a text stream) and no
     * jump from zero to the room's running time. The room's timeline is continuous, so this one is too.
     */
    protected final long viewerTimestamp(MediaFrame frame) {
        return Math.max(0, frame.timestamp() - Math.max(0, timestampBase));
    }

    /**
     * How long the queued bytes take to drain at {@code bitsPerSecond}, with half again as margin and two seconds
     * more, at most {@code maxMillis}: the grace a last status gets to reach a slow viewer before the close.
     */
    protected final long drainMillis(long bitsPerSecond, long maxMillis) {
        long rate = Math.max(bitsPerSecond, 64_000);
        long millis = 2000 + queuedBytes() * 8 * 1500 / rate;
        return Math.min(maxMillis, millis);
    }

    /** The batcher that flushes this viewer, shared by its event loop's viewers. */
    protected final FlushBatcher flushBatcher() {
        return batcher;
    }

    /** Bytes waiting in the channel's outbound queue. */
    protected final long queuedBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        // Pending counts a message whole until it is gone: less what the socket already took of the current one.
        return buffer == null ? 0 : Math.max(0, buffer.totalPendingWriteBytes() - buffer.currentProgress());
    }

    private void requestFlush() {
        if (!flushQueued) {
            flushQueued = true;
            batcher.request(this);
        }
    }

    /** Stops feeding and monitoring this viewer (its connection is closing). */
    protected final void markClosed() {
        closed = true;
        stopMonitoring();
    }

    /** Starts (or, after a pause, resumes) receiving the room's frames. */
    protected final void subscribeTo(LiveStream live) {
        if (subscription == null && !left) {
            subscription = live.subscribe(this);
        }
    }

    /** Stops receiving frames while staying connected (a paused player). */
    protected final void unsubscribe() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    /** Whether the viewer receives frames now (not paused, not gone). */
    protected final boolean subscribed() {
        return subscription != null;
    }

    /**
     * Marks the viewer gone: no more frames, no more monitoring. True the first time only, so the caller reports
     * the departure exactly once.
     */
    protected final boolean leave() {
        if (left) {
            return false;
        }
        left = true;
        markClosed();
        unsubscribe();
        return true;
    }

    /** Whether {@link #leave()} was called. */
    protected final boolean hasLeft() {
        return left;
    }

    /** How the viewing went, for the departure log line: "after N s, F frames, B bytes, D dropped". */
    protected final String departureFigures() {
        return "after " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - joinedNanos) + " s, " + framesSent() + " frames, "
                + bytesSent() + " bytes, " + drops.totalFrames() + " dropped";
    }

    /** {@link System#nanoTime()} of the last frame delivered (or of the join). */
    public final long lastDeliveryNanos() {
        return lastDeliveryNanos;
    }

    /** Frames handed to the channel. */
    public final long framesSent() {
        return framesSent;
    }

    @Override
    public final long bytesSent() {
        return bytesSent;
    }

    @Override
    public final DropCounters drops() {
        return drops;
    }

    @Override
    public final long viewerId() {
        return viewerId;
    }

    @Override
    public final SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public final long joinedAtMillis() {
        return joinedAtMillis;
    }

    @Override
    public final boolean lagging() {
        return dropPolicy.isBehind();
    }

    @Override
    public final void kick(String reason) {
        channel.eventLoop().execute(() -> {
            if (!closed) {
                closed = true;
                stopMonitoring();
                ended(reason);
            }
        });
    }

    /** The stream became visible: announce it in the protocol's way. */
    protected abstract void started(StreamStart start);

    /** Writes one frame without flushing; takes ownership of the frame's reference. */
    protected abstract void write(MediaFrame frame);

    /** The stream stopped being visible. */
    protected abstract void stopped(StreamStop reason);

    /** The hub dropped this viewer; tell the client and close. */
    protected abstract void ended(String reason);

    /** The viewer stayed behind longer than allowed; tell it why and close. */
    protected abstract void lagging(DropCounters drops);

    /**
     * The viewer was found persistently below its room's required rate: log it and, when the room enforces,
     * tell the client why and close (then {@link #markClosed()}).
     */
    protected abstract void insufficientBandwidth(BandwidthVerdict verdict);
}
