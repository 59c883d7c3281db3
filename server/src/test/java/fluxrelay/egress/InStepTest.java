package fluxrelay.egress;

import static fluxrelay.testing.Frames.audio;
import static fluxrelay.testing.Frames.interframe;
import static fluxrelay.testing.Frames.keyframe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import fluxrelay.stream.StreamStart;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A viewer following its protocol's group in step ({@link ChannelViewer.InStep}) under merged writes: it follows from
 * its first flush after its timeline started, is no longer handed frames to write, stays queued for the loop's flushes
 * and is flushed only when something was taken for it; a frame the group cannot take, or a flush that leaves it unable
 * to take everything (its queue above the high mark), sends it back to frames one by one. The protocol's catch-up is
 * played by a handler that counts what the group took as written, at each flush.
 */
class InStepTest {

    private static final Duration WINDOW = Duration.ofMillis(350);
    private static final FlushPolicy MERGED = FlushPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, WINDOW);

    /** The group: takes every frame while {@link #takes}, counting them. */
    private static final class Group implements ChannelViewer.InStep {
        boolean takes = true;
        long taken;
        long lastNanos = System.nanoTime();

        @Override
        public boolean took(MediaFrame frame, long nowNanos) {
            if (takes) {
                taken++;
                lastNanos = nowNanos;
            }
            return takes;
        }

        @Override
        public long lastTakenNanos() {
            return lastNanos;
        }

        @Override
        public long taken() {
            return taken;
        }
    }

    /** Counts flushes; at each, reports what the group took since the last as caught up, as the protocol does. */
    private final class Flushes extends ChannelOutboundHandlerAdapter {
        int count;
        long reported;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            count++;
            if (viewer.following) {
                viewer.caughtUpFrames(group.taken - reported);
            }
            reported = group.taken;
            ctx.flush();
        }
    }

    private final Group group = new Group();
    private final Flushes flushes = new Flushes();
    private final EmbeddedChannel channel = new EmbeddedChannel(flushes);
    private final List<MediaFrame> fed = new ArrayList<>();
    private Viewer viewer;

    private final class Viewer extends StubViewer {
        boolean following;
        int joins;
        int leaves;
        final List<MediaFrame> written = new ArrayList<>();

        Viewer() {
            super(InStepTest.this.channel, new ViewerLimits(1 << 20, Duration.ofSeconds(10), MERGED));
        }

        void caughtUpFrames(long frames) {
            caughtUp(frames, frames * 100);
        }

        @Override
        protected InStep followInStep() {
            joins++;
            following = true;
            return group;
        }

        @Override
        protected void leaveInStep() {
            leaves++;
            following = false;
        }

        @Override
        protected void write(MediaFrame frame) {
            written.add(frame);
            frame.release();
        }
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        for (MediaFrame frame : fed) {
            assertEquals(0, frame.refCnt(), "a frame was leaked: " + frame);
        }
    }

    private void feed(MediaFrame frame) {
        fed.add(frame);
        viewer.onFrame(frame);
    }

    private void elapse(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void followsAfterItsFirstFlushIsFlushedOnlyWhenSomethingWasTakenAndLeavesWhenAFrameIsNot() {
        channel.freezeTime();
        viewer = new Viewer();
        viewer.onStreamStart(new StreamStart("room", false));
        feed(keyframe(0, 1000));
        viewer.onStartFramesDelivered();
        feed(audio(10, 100));
        assertEquals(2, viewer.written.size(), "handed frames one by one before its first flush");
        elapse(WINDOW.toMillis());
        assertEquals(1, viewer.joins, "follows after its flush");

        feed(interframe(33, 200));
        feed(audio(31, 101));
        assertEquals(2, viewer.written.size(), "taken by the group, not written one by one");
        assertEquals(2, viewer.framesSent(), "counted when caught up, at the flush");
        int before = flushes.count;
        elapse(WINDOW.toMillis());
        assertEquals(before + 1, flushes.count, "flushed once for the window, though no frame asked for it");
        assertEquals(4, viewer.framesSent());
        assertEquals(1100 + 200, viewer.bytesSent(), "bytes of the frames written plus what the group reported");

        elapse(WINDOW.toMillis());
        elapse(WINDOW.toMillis());
        assertEquals(before + 1, flushes.count, "nothing taken: no flush, still queued");
        feed(interframe(66, 201));
        elapse(WINDOW.toMillis());
        assertEquals(before + 2, flushes.count, "taken again: flushed at the next window");
        assertEquals(5, viewer.framesSent());

        group.takes = false;
        feed(interframe(99, 202));
        assertEquals(1, viewer.leaves, "a frame the group did not take: the viewer leaves it");
        assertEquals(3, viewer.written.size(), "and writes that frame itself");
        elapse(WINDOW.toMillis());
        assertEquals(2, viewer.joins, "and follows again after its next flush");
    }

    @Test
    void aViewerAboveItsHighMarkAfterAFlushLeavesTheGroup() {
        channel.freezeTime();
        viewer = new Viewer();
        viewer.onStreamStart(new StreamStart("room", false));
        feed(keyframe(0, 1000));
        viewer.onStartFramesDelivered();
        elapse(WINDOW.toMillis());
        feed(audio(10, 100));
        elapse(WINDOW.toMillis());
        assertEquals(1, viewer.joins);
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(channel.isWritable());
        feed(interframe(33, 200));
        elapse(WINDOW.toMillis());
        assertEquals(1, viewer.leaves, "not writable after its flush: frames one by one again, for its drop policy");
        channel.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        feed(interframe(66, 201));
        assertTrue(viewer.written.size() >= 2);
        elapse(WINDOW.toMillis());
        assertEquals(2, viewer.joins, "writable again: follows again");
    }
}
