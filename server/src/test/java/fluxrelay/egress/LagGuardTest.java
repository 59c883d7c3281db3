package fluxrelay.egress;

import static fluxrelay.testing.Frames.interframe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import fluxrelay.stream.DropReason;
import fluxrelay.stream.ViewerDropPolicy.Verdict;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link LagGuard}: drops counted twice (viewer and totals), a stuck viewer ended once without frames arriving. */
class LagGuardTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EgressCounters totals = new EgressCounters("test");
    private final AtomicInteger tooSlow = new AtomicInteger();
    private final LagGuard guard = new LagGuard(channel,
            new ViewerLimits(1 << 20, Duration.ofMillis(20), Duration.ofMillis(10)), totals, tooSlow::incrementAndGet);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** Queues an unflushed write past a tiny high water mark: the channel reports itself behind. */
    private void congest() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 8));
        // The buffer's reference passes to the channel's outbound queue, released by the flush or the close.
        channel.write(Unpooled.buffer(16).writeZero(16));
        assertFalse(channel.isWritable());
    }

    private Verdict decide(MediaFrame frame) {
        try {
            return guard.policy().decide(frame, channel.isWritable(), 16, System.nanoTime());
        } finally {
            frame.release();
        }
    }

    /** Runs the loop's scheduled tasks until none is left (the re-checks stopped). */
    private void runChecksToTheEnd() {
        await().atMost(Duration.ofSeconds(5)).until(() -> channel.runScheduledPendingTasks() == -1);
    }

    @Test
    void dropsAreCountedForTheViewerAndTheTotals() {
        congest();
        assertEquals(Verdict.DROP, decide(interframe(0, 100)));
        assertEquals(Verdict.DROP, decide(interframe(33, 50)));
        assertEquals(1, guard.drops().frames(DropReason.CONGESTION));
        assertEquals(1, guard.drops().frames(DropReason.GOP_SKIP));
        assertEquals(2, totals.drops().totalFrames());
        assertEquals(150, guard.bytesDropped());
        assertTrue(guard.behind());
    }

    @Test
    void aViewerStuckBehindIsEndedOnceWithoutAnotherFrame() {
        congest();
        decide(interframe(0, 100));
        guard.afterDrop();
        guard.afterDrop();
        runChecksToTheEnd();
        assertEquals(1, tooSlow.get());
    }

    @Test
    void aViewerThatCatchesUpIsLeftAlone() {
        congest();
        decide(interframe(0, 100));
        guard.afterDrop();
        channel.flush();
        assertTrue(channel.isWritable());
        runChecksToTheEnd();
        assertFalse(guard.behind());
        assertEquals(0, tooSlow.get());
    }

    @Test
    void aClosedGuardChecksNoMore() {
        congest();
        decide(interframe(0, 100));
        guard.afterDrop();
        guard.close();
        runChecksToTheEnd();
        assertEquals(0, tooSlow.get());
        assertTrue(guard.behind(), "the last check did not even look");
    }

    @Test
    void aViewerThatIsNotBehindSchedulesNothing() {
        assertEquals(Verdict.DELIVER, decide(interframe(0, 100)));
        guard.afterDrop();
        assertEquals(-1, channel.runScheduledPendingTasks());
    }
}
