package fluxrelay.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code relay.stream.write-merge-slots}: a loop's viewers are spread over the slots of the merge window, each slot
 * flushed at its own tick, every viewer once per window and never later than a window after its write; shared data
 * of a tick is released only once every viewer waiting at its start was flushed. Time is the embedded loop's own
 * clock, moved by the test in frame steps.
 */
class WriteMergeSlotsTest {

    private static final Duration WINDOW = Duration.ofMillis(350);
    private static final int SLOTS = 7;
    private static final long STEP_MILLIS = 10;

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private FlushBatcher batcher;
    private long nowMillis;

    @BeforeEach
    void slottedBatcher() {
        channel.freezeTime();
        batcher = FlushBatcher.forLoop(channel.eventLoop(),
                FlushPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, WINDOW, SLOTS));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private List<FlushProbe> probes(int count) {
        List<FlushProbe> probes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            probes.add(new FlushProbe(batcher, () -> nowMillis, WINDOW.toMillis()));
        }
        return probes;
    }

    /** Every probe is written to, then the clock moves one step and what became due runs. */
    private void frameStep(List<FlushProbe> probes) {
        for (FlushProbe probe : probes) {
            probe.written();
        }
        nowMillis += STEP_MILLIS;
        channel.advanceTimeBy(STEP_MILLIS, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void eachSlotFlushesItsOwnViewersAtItsOwnTickOncePerWindow() {
        List<FlushProbe> probes = probes(2 * SLOTS);
        long windows = 3;
        for (long t = 0; t < windows * WINDOW.toMillis(); t += STEP_MILLIS) {
            frameStep(probes);
        }
        Map<Long, Set<Integer>> phasesByTick = new TreeMap<>();
        for (FlushProbe probe : probes) {
            assertEquals(windows, probe.flushedAt.size(), "phase " + probe.phase + ": " + probe.flushedAt);
            for (int i = 1; i < probe.flushedAt.size(); i++) {
                assertEquals(WINDOW.toMillis(), probe.flushedAt.get(i) - probe.flushedAt.get(i - 1),
                        "once per window: " + probe.flushedAt);
            }
            for (long at : probe.flushedAt) {
                phasesByTick.computeIfAbsent(at, k -> new HashSet<>()).add(probe.phase);
            }
        }
        assertEquals(windows * SLOTS, phasesByTick.size(), "each slot has ticks of its own: " + phasesByTick);
        for (Set<Integer> phases : phasesByTick.values()) {
            assertEquals(1, phases.size(), "one slot per tick: " + phasesByTick);
        }
        Set<Integer> phases = new HashSet<>();
        for (FlushProbe probe : probes) {
            phases.add(probe.phase);
        }
        assertEquals(SLOTS, phases.size(), "the probes took the slots in turn");
    }

    @Test
    void aWriteRightAfterItsSlotTickedWaitsOneWindowAndNoMore() {
        List<FlushProbe> probes = probes(SLOTS);
        FlushProbe last = probes.get(SLOTS - 1);
        while (last.flushedAt.isEmpty()) {
            frameStep(probes);
        }
        long ticked = last.flushedAt.get(0);
        last.written();
        while (last.flushedAt.size() < 2) {
            nowMillis += STEP_MILLIS;
            channel.advanceTimeBy(STEP_MILLIS, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        assertEquals(ticked + WINDOW.toMillis(), last.flushedAt.get(1));
    }

    @Test
    void aBatchEndsOnlyOnceEveryViewerWaitingAtItsStartWasFlushed() {
        List<FlushProbe> probes = probes(3 * SLOTS);
        Deque<Long> starts = new ArrayDeque<>();
        List<Long> ends = new ArrayList<>();
        batcher.addListener(new FlushBatcher.BatchListener() {
            @Override
            public void batchStarting() {
                starts.add(nowMillis);
            }

            @Override
            public void batchEnded() {
                long start = starts.remove();
                ends.add(nowMillis);
                for (FlushProbe probe : probes) {
                    // A probe written before the start is flushed at or after it by now.
                    boolean waitedAtStart = probe.firstUnflushedWrite >= 0 && probe.firstUnflushedWrite < start;
                    assertTrue(!waitedAtStart, "phase " + probe.phase + " still waits since " + probe.firstUnflushedWrite
                            + " for a batch started at " + start + " and ended at " + nowMillis);
                }
            }
        });
        for (long t = 0; t < 2 * WINDOW.toMillis(); t += STEP_MILLIS) {
            frameStep(probes);
        }
        assertTrue(ends.size() >= SLOTS, "batches ended while the viewers kept playing: " + ends);
        assertEquals(SLOTS - 1, starts.size(), "a window's worth of starts stays open while viewers wait");
        // Nothing more written: the remaining slots tick, nothing waits, every open batch ends.
        for (int i = 0; i < SLOTS; i++) {
            nowMillis += WINDOW.toMillis() / SLOTS;
            channel.advanceTimeBy(WINDOW.toMillis() / SLOTS, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
        assertEquals(0, starts.size(), "every start ended once no viewer waits");
    }

    @Test
    void aListenerAddedLateHearsOnlyTheEndsOfTheStartsItHeard() {
        List<FlushProbe> probes = probes(SLOTS);
        for (int i = 0; i < 3; i++) {
            frameStep(probes);
        }
        while (probes.get(0).flushedAt.isEmpty()) {
            frameStep(probes);
        }
        int[] open = new int[1];
        batcher.addListener(new FlushBatcher.BatchListener() {
            @Override
            public void batchStarting() {
                open[0]++;
            }

            @Override
            public void batchEnded() {
                open[0]--;
                assertTrue(open[0] >= 0, "an end without its start");
            }
        });
        for (long t = 0; t < 2 * WINDOW.toMillis(); t += STEP_MILLIS) {
            frameStep(probes);
            assertTrue(open[0] >= 0 && open[0] <= SLOTS, "open starts: " + open[0]);
        }
    }

    @Test
    void writeMergeSlotsApplyToItsWindowOnly() {
        assertEquals(WINDOW.toNanos() / SLOTS, batcher.intervalNanos());
        assertEquals(SLOTS, batcher.slots());
        assertEquals(1, FlushPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, Duration.ZERO, SLOTS).slots(),
                "without write-merge the slots do not apply");
        assertEquals(2, new FlushPolicy(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, 2).slots(),
                "the adaptive interval takes slots too (relay.stream.flush-slots)");
        assertThrows(IllegalArgumentException.class, () -> new FlushPolicy(Duration.ZERO, Duration.ZERO, 0, 2),
                "no interval, no slots");
        assertThrows(IllegalArgumentException.class, () -> new FlushPolicy(WINDOW, WINDOW, 0, 0));
        assertNotEquals(batcher.nextPhase(), batcher.nextPhase(), "new targets take the next slot");
    }
}
