package fluxrelay.egress;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Batches flushes of viewer connections on one event loop: a viewer written to is flushed at most once
 * per interval, the pending viewers of the loop by one scheduled task, so thousands of viewers do not mean
 * thousands of syscalls per frame. The interval follows the loop's {@link FlushPolicy}: it grows with the
 * number of viewers the last batch flushed.
 *
 * <p>With a policy of several slots (the interval or merged-write window cut into parts), each target has a phase
 * ({@link Target#phase()}, spread by {@link #nextPhase()}) and a tick every {@link FlushPolicy#tickNanos} flushes
 * the targets of one slot in turn: each target is flushed once per window, and a loop's writes are spread over the
 * window instead of leaving in one burst. With the adaptive interval the window follows the targets the last
 * {@code slots} ticks flushed, as with one slot it follows the last batch.
 *
 * <p>With a fixed interval (a merged-write window) the ticks keep to a grid, so a window is as long as configured
 * however long its writes take.
 *
 * <p>Listeners hear when a tick starts and, later, when everything asked for before that start was flushed, so data
 * shared by the connections (a run of encodings written to all of them) can be sealed before the first flush and
 * released after the last. With one slot the two calls frame one batch; with more, the end comes once every slot
 * has had its tick since the start (or sooner, once no target waits).
 *
 * <p>One instance per event loop thread ({@link #forLoop}); used only on that thread.
 */
public final class FlushBatcher {

    /** Something to flush when the batch runs. */
    public interface Target {
        /** Flushes now; called on the loop. */
        void flushNow();

        /** Which slot of the window flushes this target, any int (taken modulo the slots); fixed for its life. */
        default int phase() {
            return 0;
        }
    }

    /** Hears the batches of one loop; called on the loop. */
    public interface BatchListener {
        /** A tick is about to flush its targets; what was written so far is flushed by this tick or later ones. */
        void batchStarting();

        /**
         * Every target that waited for a flush when the oldest unmatched {@link #batchStarting} was heard has been
         * flushed. Calls pair with the starts this listener heard, in order.
         */
        void batchEnded();
    }

    /** A listener and the starts it heard whose end it has not heard yet. */
    private static final class Listening {
        final BatchListener listener;
        int open;

        Listening(BatchListener listener) {
            this.listener = listener;
        }
    }

    private static final FastThreadLocal<FlushBatcher> PER_LOOP = new FastThreadLocal<>();

    private final EventLoop loop;
    private final FlushPolicy policy;
    private final List<Listening> listeners = new ArrayList<>(1);
    /** Per slot, the targets waiting for its tick. */
    private final List<List<Target>> pending;
    private List<Target> spare = new ArrayList<>();
    /** Per slot, how many targets its last tick flushed; their sum sets the adaptive interval. */
    private final int[] flushedBySlot;
    private int flushedInWindow;
    private int waiting;
    private int nextSlot;
    private int nextPhase;
    /** Ticks started whose end was not yet announced. */
    private int openBatches;
    private boolean scheduled;
    private boolean ticking;
    private long intervalNanos;
    /** With a fixed window: when the next tick is due, on the loop's ticker. */
    private long dueAt;
    private boolean gridStarted;

    private FlushBatcher(EventLoop loop, FlushPolicy policy) {
        this.loop = loop;
        this.policy = policy;
        this.pending = new ArrayList<>(policy.slots());
        for (int i = 0; i < policy.slots(); i++) {
            pending.add(new ArrayList<>());
        }
        this.flushedBySlot = new int[policy.slots()];
        this.intervalNanos = policy.tickNanos(0);
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

    /** The delay the next tick waits: the interval (for the targets of the last window) divided by the slots. */
    public long intervalNanos() {
        return intervalNanos;
    }

    /** The loop's clock ({@link EventLoop#ticker()}), nanoseconds. */
    public long nanoTime() {
        return loop.ticker().nanoTime();
    }

    /** How many slots the window is cut into (1: all targets flush together). */
    public int slots() {
        return policy.slots();
    }

    /** Size of the blocks a loop's shared messages are kept in across ticks; 0 merges them per tick. */
    public int mergeBlockBytes() {
        return policy.mergeBlockBytes();
    }

    /** Most merge blocks alive per group of viewers on the loop. */
    public int mergeMaxBlocks() {
        return policy.mergeMaxBlocks();
    }

    /** A phase for a new target: the loop's targets take the slots in turn, so each slot holds an even share. */
    public int nextPhase() {
        int phase = nextPhase;
        nextPhase = (phase + 1) % policy.slots();
        return phase;
    }

    /** Adds a listener for the rest of the loop's life; it hears ends only of the starts it heard. */
    public void addListener(BatchListener listener) {
        listeners.add(new Listening(listener));
    }

    /**
     * Queues a flush of {@code target} at its slot's next tick (within one window); the caller asks once until it is
     * flushed.
     */
    public void request(Target target) {
        if (!policy.batches()) {
            target.flushNow();
            return;
        }
        pending.get(Math.floorMod(target.phase(), policy.slots())).add(target);
        waiting++;
        if (!scheduled && !ticking) {
            long delay = intervalNanos;
            if (policy.fixedWindow() && gridStarted) {
                // The loop had flushed everything: the next tick keeps to the grid, or, past its time, waits a window.
                long untilDue = dueAt - loop.ticker().nanoTime();
                delay = untilDue >= 0 ? untilDue : intervalNanos;
            }
            schedule(delay);
        }
    }

    private void schedule(long delayNanos) {
        scheduled = true;
        loop.schedule(this::tick, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * With a fixed window, ticks keep to a grid: the next is due one interval after this one was due, not one interval
     * after this one's writes ended (which made every window longer by the time its writes took, and viewers' data that
     * much older). A tick more than an interval late, or the first after the loop had nothing to flush, starts the grid
     * again from now.
     */
    private void keepGrid() {
        long now = loop.ticker().nanoTime();
        long due = dueAt;
        dueAt = (gridStarted && now - due <= intervalNanos ? due : now) + intervalNanos;
        gridStarted = true;
    }

    private void tick() {
        scheduled = false;
        if (policy.fixedWindow()) {
            keepGrid();
        }
        ticking = true;
        int slot = nextSlot;
        nextSlot = (slot + 1) % policy.slots();
        List<Target> batch = pending.get(slot);
        pending.set(slot, spare);
        spare = batch;
        waiting -= batch.size();
        openBatches++;
        for (Listening listening : listeners) {
            listening.open++;
            listening.listener.batchStarting();
        }
        // A target that throws does not keep the others from their flush (each asks once until flushed, so one left
        // out would wait forever); the first failure is rethrown once the batch is done, for the loop to log.
        RuntimeException failure = null;
        for (Target target : batch) {
            try {
                target.flushNow();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        flushedInWindow += batch.size() - flushedBySlot[slot];
        flushedBySlot[slot] = batch.size();
        intervalNanos = policy.tickNanos(flushedInWindow);
        batch.clear();
        // A start ends once every slot has ticked since (each target waiting then is flushed), or when none waits.
        int stillOpen = waiting == 0 ? 0 : policy.slots() - 1;
        while (openBatches > stillOpen) {
            endOldest();
        }
        ticking = false;
        if (waiting > 0) {
            // Behind the grid (writes longer than the interval): the next tick runs at once.
            schedule(policy.fixedWindow() ? Math.max(0, dueAt - loop.ticker().nanoTime()) : intervalNanos);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void endOldest() {
        for (Listening listening : listeners) {
            // A listener added after this start did not hear it.
            if (listening.open == openBatches) {
                listening.open--;
                listening.listener.batchEnded();
            }
        }
        openBatches--;
    }
}
