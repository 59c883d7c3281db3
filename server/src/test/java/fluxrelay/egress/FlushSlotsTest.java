package fluxrelay.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
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
 * {@code relay.stream.flush-slots}: without merged writes, a loop's viewers are spread over the slots of the adaptive
 * flush interval, each slot flushed at its own tick, every viewer once per interval; the interval still follows the
 * viewers the loop flushed (now over its last {@code slots} ticks). Time is the embedded loop's own clock, moved by the
 * test in steps short enough that every tick runs when due.
 */
class FlushSlotsTest {

    private static final int SLOTS = 8;
    private static final Duration MIN = Duration.ofMillis(10);
    private static final Duration MAX = Duration.ofMillis(50);
    private static final long STEP_NANOS = TimeUnit.MICROSECONDS.toNanos(250);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private FlushBatcher batcher;
    private long now;

    @BeforeEach
    void slottedAdaptiveBatcher() {
        channel.freezeTime();
        batcher = FlushBatcher.forLoop(channel.eventLoop(),
                FlushPolicy.of(MIN, MAX, 40_000, Duration.ZERO, 1, 1 << 20, 4, SLOTS, 1 << 20, 4));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** {@code count} viewers, each failing the test if flushed later than {@code maxWait} after its write. */
    private List<FlushProbe> probes(int count, Duration maxWait) {
        List<FlushProbe> probes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            probes.add(new FlushProbe(batcher, () -> now, maxWait.toNanos()));
        }
        return probes;
    }

    /** Every probe is written to for {@code nanos}, the clock moving in steps and what became due running. */
    private void play(List<FlushProbe> probes, long nanos) {
        for (long t = 0; t < nanos; t += STEP_NANOS) {
            for (FlushProbe probe : probes) {
                probe.written();
            }
            now += STEP_NANOS;
            channel.advanceTimeBy(STEP_NANOS, TimeUnit.NANOSECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    @Test
    void aSmallLoopFlushesEachViewerOncePerIntervalAtItsOwnSlotTick() {
        List<FlushProbe> probes = probes(2 * SLOTS, MIN);
        play(probes, Duration.ofMillis(200).toNanos());

        assertEquals(MIN.toNanos() / SLOTS, batcher.intervalNanos(), "ticks an eighth of the shortest interval apart");
        Map<Long, Set<Integer>> phasesByTick = new TreeMap<>();
        for (FlushProbe probe : probes) {
            assertTrue(probe.flushedAt.size() >= 19, "phase " + probe.phase + ": " + probe.flushedAt);
            for (int i = 1; i < probe.flushedAt.size(); i++) {
                assertEquals(MIN.toNanos(), probe.flushedAt.get(i) - probe.flushedAt.get(i - 1),
                        "once per interval: " + probe.flushedAt);
            }
            for (long at : probe.flushedAt) {
                phasesByTick.computeIfAbsent(at, k -> new HashSet<>()).add(probe.phase);
            }
        }
        for (Set<Integer> phases : phasesByTick.values()) {
            assertEquals(1, phases.size(), "one slot per tick: " + phasesByTick);
        }
        Set<Integer> phases = new HashSet<>();
        probes.forEach(probe -> phases.add(probe.phase));
        assertEquals(SLOTS, phases.size(), "the probes took the slots in turn");
    }

    @Test
    void theIntervalFollowsTheViewersOfTheLastIntervalUpToItsMaximum() {
        List<FlushProbe> probes = probes(800, MAX);
        play(probes, Duration.ofMillis(200).toNanos());
        // 800 viewers flushed per interval at 40,000 a second: 20 ms, cut in eight.
        assertEquals(Duration.ofMillis(20).toNanos() / SLOTS, batcher.intervalNanos());

        List<FlushProbe> crowd = probes(3200, MAX);
        crowd.addAll(probes);
        play(crowd, Duration.ofMillis(400).toNanos());
        // 4,000 would want 100 ms: the maximum, cut in eight.
        assertEquals(MAX.toNanos() / SLOTS, batcher.intervalNanos());
        for (FlushProbe probe : crowd) {
            List<Long> at = probe.flushedAt;
            long last = at.get(at.size() - 1) - at.get(at.size() - 2);
            assertEquals(MAX.toNanos(), last, "phase " + probe.phase + " flushed once per interval at the end: " + at);
        }
    }

    @Test
    void slotsNeedAnIntervalAndKeepTheMergeBlocks() {
        FlushPolicy slotted = FlushPolicy.of(MIN, MAX, 40_000, Duration.ZERO, 1, 1 << 20, 4, SLOTS, 256 << 10, 16);
        assertEquals(SLOTS, slotted.slots());
        assertEquals(256 << 10, slotted.mergeBlockBytes(), "a viewer's interval leaves as one buffer whatever its slot");
        assertEquals(16, slotted.mergeMaxBlocks(), "the interval's own limit, not write-merge's");
        FlushPolicy together = FlushPolicy.of(MIN, MAX, 40_000, Duration.ZERO, 1, 1 << 20, 4, 1, 256 << 10, 16);
        assertEquals(1, together.slots());
        assertEquals(256 << 10, together.mergeBlockBytes(), "one slot keeps the blocks too: its viewers in step go in lockstep");
        assertEquals(0, FlushPolicy.of(MIN, MAX, 40_000, Duration.ZERO, 1, 1 << 20, 4, 1, 0, 16).mergeBlockBytes(),
                "flush-block-size 0 shares messages per tick");
        assertEquals(1, FlushPolicy.of(Duration.ZERO, Duration.ZERO, 0, Duration.ZERO, 1, 1 << 20, 4, SLOTS, 1 << 20, 4).slots(),
                "every write flushed at once has no slots");
        FlushPolicy merged = FlushPolicy.of(MIN, MAX, 40_000, Duration.ofMillis(350), 4, 1 << 20, 4, SLOTS, 1 << 20, 4);
        assertEquals(4, merged.slots(), "write-merge keeps its own slots");
    }
}
