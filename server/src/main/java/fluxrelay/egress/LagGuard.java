package fluxrelay.egress;

import fluxrelay.stream.DropCounters;
import fluxrelay.stream.DropReason;
import fluxrelay.stream.DropSink;
import fluxrelay.stream.ViewerDropPolicy;
import io.netty.channel.Channel;
import java.util.concurrent.TimeUnit;

/**
 * The drop and lag policy of one viewer's connection: the hub's {@link ViewerDropPolicy} judged against the
 * channel's own outbound queue, the viewer's drop counts (also added to the protocol's totals), and the re-check
 * that ends a viewer stuck behind even when no frame arrives to be judged.
 *
 * <p>The viewer asks {@link #policy()} about each frame itself, so the fan-out path has no extra hop; the guard
 * takes over once a frame was dropped. Used on the channel's event loop.
 */
final class LagGuard implements DropSink {

    private final Channel channel;
    private final ViewerDropPolicy policy;
    private final DropCounters drops = new DropCounters();
    private final DropSink totals;
    private final Runnable tooSlow;
    private final Runnable check = this::check;
    private long bytesDropped;
    private boolean checkScheduled;
    private boolean closed;

    /**
     * @param channel the viewer's connection, whose writability says whether it is behind
     * @param limits queue and lag limits
     * @param totals the protocol's totals, which count every drop too
     * @param tooSlow ends the viewer when the re-check finds it behind longer than allowed; called at most once
     */
    LagGuard(Channel channel, ViewerLimits limits, EgressCounters totals, Runnable tooSlow) {
        this.channel = channel;
        this.totals = totals.drops();
        this.tooSlow = tooSlow;
        this.policy = new ViewerDropPolicy(limits.maxQueuedBytes(), limits.maxLag().toNanos(), this);
    }

    /** The per-frame policy; its drops are counted here. */
    ViewerDropPolicy policy() {
        return policy;
    }

    /** Counts one frame the policy dropped (called by the policy). */
    @Override
    public void dropped(DropReason reason, int size) {
        drops.dropped(reason, size);
        totals.dropped(reason, size);
        bytesDropped += size;
    }

    /**
     * A frame was dropped: a viewer that is behind is judged again after half the allowed lag, and again until it
     * catches up or is found overdue, whether or not frames arrive.
     */
    void afterDrop() {
        if (checkScheduled || closed || !policy.isBehind()) {
            return;
        }
        checkScheduled = true;
        channel.eventLoop().schedule(check, policy.maxLagNanos() / 2 + 1, TimeUnit.NANOSECONDS);
    }

    private void check() {
        checkScheduled = false;
        if (closed || !channel.isActive()) {
            return;
        }
        if (policy.overdue(channel.isWritable(), System.nanoTime())) {
            closed = true;
            tooSlow.run();
        } else {
            afterDrop();
        }
    }

    /** True while the viewer is behind. */
    boolean behind() {
        return policy.isBehind();
    }

    /** Frames and bytes dropped for this viewer, by reason. */
    DropCounters drops() {
        return drops;
    }

    /** Payload bytes dropped for this viewer. */
    long bytesDropped() {
        return bytesDropped;
    }

    /** The viewer ended: no more re-checks. */
    void close() {
        closed = true;
    }
}
