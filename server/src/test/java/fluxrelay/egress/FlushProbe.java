package fluxrelay.egress;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A viewer as a {@link FlushBatcher} sees it, for tests of its slots: asks for a flush at its first unflushed write and
 * remembers when it was flushed; a flush later than {@code maxWait} after that write fails the test. Times are the
 * test's clock, in whatever unit it counts.
 */
final class FlushProbe implements FlushBatcher.Target {

    final int phase;
    final List<Long> flushedAt = new ArrayList<>();
    long firstUnflushedWrite = -1;

    private final FlushBatcher batcher;
    private final LongSupplier clock;
    private final long maxWait;

    FlushProbe(FlushBatcher batcher, LongSupplier clock, long maxWait) {
        this.batcher = batcher;
        this.clock = clock;
        this.maxWait = maxWait;
        this.phase = batcher.nextPhase();
    }

    /** A write: the first since the last flush asks for one. */
    void written() {
        if (firstUnflushedWrite < 0) {
            firstUnflushedWrite = clock.getAsLong();
            batcher.request(this);
        }
    }

    @Override
    public void flushNow() {
        long now = clock.getAsLong();
        assertTrue(now - firstUnflushedWrite <= maxWait,
                "phase " + phase + " flushed " + (now - firstUnflushedWrite) + " after its write (at most " + maxWait + ")");
        flushedAt.add(now);
        firstUnflushedWrite = -1;
    }

    @Override
    public int phase() {
        return phase;
    }
}
