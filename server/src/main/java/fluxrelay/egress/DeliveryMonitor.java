package fluxrelay.egress;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Samples the delivery of every monitored viewer of one event loop once per interval, from one timer for
 * the whole loop: a pass reads a few counters per viewer (no syscall, no allocation), so the cost grows with
 * viewers, not with frames. Kernel figures are read only for viewers found backlogged.
 *
 * <p>One instance per event loop thread ({@link #forLoop}); used only on that thread.
 */
public final class DeliveryMonitor {

    /** Something sampled each interval. */
    public interface Sampled {
        /** One sampling pass reached this viewer; {@code figures} is the loop's reusable TCP_INFO reader. */
        void sampleDelivery(long nowNanos, TcpFigures figures);
    }

    private static final FastThreadLocal<DeliveryMonitor> PER_LOOP = new FastThreadLocal<>();

    private final EventLoop loop;
    private final long intervalNanos;
    private final TcpFigures figures = new TcpFigures();
    private final List<Sampled> viewers = new ArrayList<>();
    private ScheduledFuture<?> timer;

    DeliveryMonitor(EventLoop loop, long intervalNanos) {
        this.loop = loop;
        this.intervalNanos = intervalNanos;
    }

    /** The monitor of {@code loop}; call on that loop. The first caller on a loop sets the interval. */
    public static DeliveryMonitor forLoop(EventLoop loop, long intervalNanos) {
        DeliveryMonitor monitor = PER_LOOP.get();
        if (monitor == null || monitor.loop != loop) {
            monitor = new DeliveryMonitor(loop, intervalNanos);
            PER_LOOP.set(monitor);
        }
        return monitor;
    }

    /** The sampling interval. */
    public long intervalNanos() {
        return intervalNanos;
    }

    /** Starts sampling {@code viewer}; the timer runs while the loop has viewers. */
    public void add(Sampled viewer) {
        viewers.add(viewer);
        if (timer == null) {
            timer = loop.scheduleAtFixedRate(this::pass, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops sampling {@code viewer}. */
    public void remove(Sampled viewer) {
        viewers.remove(viewer);
        if (viewers.isEmpty() && timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** Viewers sampled on this loop. */
    public int size() {
        return viewers.size();
    }

    /** One sampling pass over every viewer (the timer's task; public for benchmarks). */
    public void pass() {
        long now = System.nanoTime();
        // Index loop: a viewer judged below may close and remove itself during the pass.
        for (int i = 0; i < viewers.size(); i++) {
            Sampled viewer = viewers.get(i);
            viewer.sampleDelivery(now, figures);
            if (i < viewers.size() && viewers.get(i) != viewer) {
                i--;
            }
        }
    }
}
