package fluxrelay.egress;

import static fluxrelay.testing.Frames.audio;
import static fluxrelay.testing.Frames.interframe;
import static fluxrelay.testing.Frames.keyframe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import fluxrelay.stream.StreamStart;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code relay.stream.write-merge}: a viewer's frames wait for its loop's merged write, which runs once per window
 * whatever the crowd, and leave together in one flush; the joiner's start frames do not wait. Time is the embedded
 * loop's own clock, moved by the test: what is checked is which flush carries which frames.
 */
class WriteMergeTest {

    private static final Duration WINDOW = Duration.ofMillis(350);
    private static final FlushPolicy MERGED = FlushPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, WINDOW);

    /** Counts the flushes that reach the socket end of the pipeline. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private final FlushCounter counter = new FlushCounter();
    private final EmbeddedChannel channel = new EmbeddedChannel(counter);
    private final List<MediaFrame> fed = new ArrayList<>();

    /** Writes each frame's payload as it is. */
    private final class Payloads extends StubViewer {
        Payloads(FlushPolicy flush) {
            super(WriteMergeTest.this.channel, new ViewerLimits(1 << 20, Duration.ofSeconds(10), flush));
        }

        @Override
        protected void write(MediaFrame frame) {
            // The frame's reference passes to the channel with its payload.
            channel.write(frame.payload(), channel.voidPromise());
        }
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        for (MediaFrame frame : fed) {
            assertEquals(0, frame.refCnt(), "a frame was leaked: " + frame);
        }
    }

    private void feed(ChannelViewer viewer, MediaFrame frame) {
        fed.add(frame);
        viewer.onFrame(frame);
    }

    /** Moves the loop's clock by {@code millis} and runs what became due. */
    private void elapse(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    /** The sizes of the buffers the flushes so far put on the wire, releasing them. */
    private List<Integer> sent() {
        List<Integer> sizes = new ArrayList<>();
        for (Object written; (written = channel.readOutbound()) != null; ) {
            sizes.add(((ByteBuf) written).readableBytes());
            ReferenceCountUtil.release(written);
        }
        return sizes;
    }

    @Test
    void framesWaitForTheWindowAndLeaveInOneFlush() {
        channel.freezeTime();
        Payloads viewer = new Payloads(MERGED);
        viewer.onStreamStart(new StreamStart("room", false));
        feed(viewer, keyframe(0, 1000));
        viewer.onStartFramesDelivered();
        assertEquals(1, counter.flushes, "a joiner's start frames go out at once");
        assertEquals(List.of(1000), sent());

        feed(viewer, audio(10, 100));
        feed(viewer, interframe(33, 200));
        feed(viewer, audio(31, 101));
        feed(viewer, interframe(66, 201));
        elapse(WINDOW.toMillis() - 1);
        assertEquals(1, counter.flushes, "nothing more before the window closes");
        assertEquals(List.of(), sent());

        elapse(1);
        assertEquals(2, counter.flushes, "one flush for the window's four frames");
        assertEquals(List.of(100, 200, 101, 201), sent());

        feed(viewer, interframe(99, 202));
        feed(viewer, audio(52, 102));
        elapse(WINDOW.toMillis() - 1);
        assertEquals(List.of(), sent());
        elapse(1);
        assertEquals(3, counter.flushes);
        assertEquals(List.of(202, 102), sent(), "the next window's frames, together again");
    }

    @Test
    void theWindowStaysWhateverTheCrowdAndZeroKeepsTheAdaptiveInterval() {
        assertEquals(WINDOW.toNanos(), MERGED.intervalNanos(0));
        assertEquals(WINDOW.toNanos(), MERGED.intervalNanos(10_000), "not capped by flush-interval-max");
        assertTrue(MERGED.batches());
        FlushPolicy adaptive = FlushPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, Duration.ZERO);
        assertEquals(new FlushPolicy(Duration.ofMillis(10), Duration.ofMillis(50), 40_000), adaptive);
        assertEquals(Duration.ofMillis(10).toNanos(), adaptive.intervalNanos(100));
    }

    @Test
    void withoutWriteMergeTheShortIntervalFlushesSooner() {
        channel.freezeTime();
        Payloads viewer = new Payloads(FlushPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, Duration.ZERO));
        viewer.onStreamStart(new StreamStart("room", false));
        elapse(10);
        int afterStart = counter.flushes;
        feed(viewer, interframe(33, 200));
        feed(viewer, audio(31, 101));
        elapse(10);
        assertEquals(afterStart + 1, counter.flushes);
        assertEquals(List.of(200, 101), sent());
        feed(viewer, interframe(66, 201));
        elapse(10);
        assertEquals(afterStart + 2, counter.flushes, "a window of 10 ms: a flush per window");
        assertEquals(List.of(201), sent());
    }
}
