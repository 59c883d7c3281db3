package fluxrelay.egress;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Batches flushes of viewer connections on one event loop: a viewer written to is flushed at most once
 * per interval, all pending viewers of the loop by one scheduled task, so thousands of viewers do not mean
 * thousands of syscalls per frame. The interval follows the loop's {@link FlushPolicy}: it grows with the
 * number of viewers the last batch flushed.
 *
 * <p>Listeners hear when a batch starts and ends, so data shared by the batch's connections (a run of
 * encodings written to all of them) can be sealed before the first flush and released after the last.
 *
 * <p>One instance per event loop thread ({@link #forLoop}); used only on that thread.
 */
public final class FlushBatcher {

    /** Something to flush when the batch runs. */
    public interface Target {
        /** Flushes now; called on the loop. */
        void flushNow();
    }

    /** Hears the batches of one loop; called on the loop. */
    public interface BatchListener {
        /** A batch is about to flush its targets. */
        void batchStarting();

        /** Every target of the batch was flushed. */
        void batchEnded();
    }

    private static final FastThreadLocal<FlushBatcher> PER_LOOP = new FastThreadLocal<>();

    private final EventLoop loop;
    private final FlushPolicy policy;
    private final List<BatchListener> listeners = new ArrayList<>(1);
    private List<Target> pending = new ArrayList<>();
    private List<Target> spare = new ArrayList<>();
    private boolean scheduled;
    private long intervalNanos;

    private FlushBatcher(EventLoop loop, FlushPolicy policy) {
        this.loop = loop;
        this.policy = policy;
        this.intervalNanos = policy.intervalNanos(0);
    }

    /** The batcher of {@code loop}; call on that loop. The first caller on a loop sets the policy. */
    public static FlushBatcher forLoop(EventLoop loop, FlushPolicy policy) {
        FlushBatcher batcher = PER_LOOP.get();
        if (batcher == null || batcher.loop != loop) {
            batcher = new FlushBatcher(loop, policy);
            PER_LOOP.set(batcher);
        }
        return batcher;
    }

    /** Whether flushes wait for a batch (false: {@link #request} flushes at once and there are no batches). */
    public boolean batches() {
        return policy.batches();
    }

    /** The delay the next batch waits, which follows the size of the last one. */
    public long intervalNanos() {
        return intervalNanos;
    }

    /** Adds a listener for the rest of the loop's life. */
    public void addListener(BatchListener listener) {
        listeners.add(listener);
    }

    /** Queues a flush of {@code target} within the interval; the caller asks once until it is flushed. */
    public void request(Target target) {
        if (!policy.batches()) {
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
        for (BatchListener listener : listeners) {
            listener.batchStarting();
        }
        try {
            for (Target target : batch) {
                target.flushNow();
            }
        } finally {
            intervalNanos = policy.intervalNanos(batch.size());
            batch.clear();
            for (BatchListener listener : listeners) {
                listener.batchEnded();
            }
        }
    }
}
