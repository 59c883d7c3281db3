package fluxrelay.egress;

import fluxrelay.media.MediaFrame;
import fluxrelay.stream.DropCounters;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.Viewer;
import fluxrelay.stream.ViewerDropPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.net.SocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream subscriber that writes to one Netty channel: applies the per-viewer drop policy against the
 * channel's own outbound queue, batches flushes, and disconnects a viewer that stays behind too long.
 *
 * <p>Subclasses encode frames for their protocol (RTMP, HTTP-FLV). All methods run on the channel's
 * event loop.
 */
public abstract class ChannelViewer implements Viewer, FlushBatcher.Target {

    private static final AtomicLong IDS = new AtomicLong();

    protected final Channel channel;
    private final long viewerId = IDS.incrementAndGet();
    private final long joinedAtMillis = System.currentTimeMillis();
    private final ViewerDropPolicy dropPolicy;
    private final DropCounters drops = new DropCounters();
    private final FlushBatcher batcher;
    private boolean flushQueued;
    private boolean lagCheckScheduled;
    private boolean closed;
    private volatile long lastDeliveryNanos = System.nanoTime();
    private long timestampBase = -1;
    private volatile long framesSent;
    private volatile long bytesSent;

    private final EgressCounters totals;

    protected ChannelViewer(Channel channel, ViewerLimits limits, EgressCounters totals) {
        this.channel = channel;
        this.totals = totals;
        totals.joined();
        this.dropPolicy = new ViewerDropPolicy(limits.maxQueuedBytes(), limits.maxLag().toNanos(), (reason, size) -> {
            drops.dropped(reason, size);
            totals.drops().dropped(reason, size);
        });
        this.batcher = FlushBatcher.forLoop(channel.eventLoop(), limits.flushInterval().toNanos());
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
                write(frame);
                requestFlush();
            }
            case DROP -> {
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
            lagging(drops);
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
            ended(reason);
        }
    }

    @Override
    public final void flushNow() {
        flushQueued = false;
        if (channel.isActive()) {
            channel.flush();
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

    /** Bytes waiting in the channel's outbound queue. */
    protected final long queuedBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    private void requestFlush() {
        if (!flushQueued) {
            flushQueued = true;
            batcher.request(this);
        }
    }

    /** Stops feeding this viewer (its connection is closing). */
    protected final void markClosed() {
        closed = true;
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
}
