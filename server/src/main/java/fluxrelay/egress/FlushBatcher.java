package fluxrelay.egress;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Batches flushes of viewer connections on one event loop: a viewer written to is flushed at most once
 * per interval, all pending viewers of the loop by one scheduled task, so thousands of viewers do not mean
 * thousands of syscalls per frame.
 *
 * <p>One instance per event loop thread ({@link #forLoop}); used only on that thread.
 */
public final class FlushBatcher {

    /** Something to flush when the batch runs. */
    public interface Target {
        /** Flushes now; called on the loop. */
        void flushNow();
    }

    private static final FastThreadLocal<FlushBatcher> PER_LOOP = new FastThreadLocal<>();

    private final EventLoop loop;
    private final long intervalNanos;
    private List<Target> pending = new ArrayList<>();
    private List<Target> spare = new ArrayList<>();
    private boolean scheduled;

    private FlushBatcher(EventLoop loop, long intervalNanos) {
        this.loop = loop;
        this.intervalNanos = intervalNanos;
    }

    /** The batcher of {@code loop}; call on that loop. The first caller on a loop sets the interval. */
    public static FlushBatcher forLoop(EventLoop loop, long intervalNanos) {
        FlushBatcher batcher = PER_LOOP.get();
        if (batcher == null || batcher.loop != loop) {
            batcher = new FlushBatcher(loop, intervalNanos);
            PER_LOOP.set(batcher);
        }
        return batcher;
    }

    /** Queues a flush of {@code target} within the interval; the caller asks once until it is flushed. */
    public void request(Target target) {
        if (intervalNanos <= 0) {
            target.flushNow();
            return;
        }
        pending.add(target);
        if (!scheduled) {
            scheduled = true;
            loop.schedule(this::flushAll, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void flushAll() {
        scheduled = false;
        List<Target> batch = pending;
        pending = spare;
        spare = batch;
        for (Target target : batch) {
            target.flushNow();
        }
        batch.clear();
    }
}
