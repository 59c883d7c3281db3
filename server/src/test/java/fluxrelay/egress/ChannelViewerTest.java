package fluxrelay.egress;

import static fluxrelay.testing.Frames.interframe;
import static fluxrelay.testing.Frames.keyframe;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ViewerBandwidth;
import fluxrelay.media.MediaFrame;
import fluxrelay.netty.ConnectionTracker;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelViewer}: frames through the drop policy to the protocol, and one way to end whatever the cause,
 * releasing the subscription and the bandwidth watch once and reporting once.
 */
class ChannelViewerTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final ViewerLimits LIMITS = new ViewerLimits(1 << 20, Duration.ofMillis(20), Duration.ZERO);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final EgressCounters totals = new EgressCounters("test");
    private final LiveStream live = new LiveStream("room", true, new StreamLimits(1 << 20, 100));
    private final List<MediaFrame> fed = new ArrayList<>();

    /** A protocol that writes each frame's payload as it is and records the rest. */
    private final class Recording extends ChannelViewer {
        final List<String> events = new ArrayList<>();

        Recording(ViewerBandwidth bandwidth) {
            super(ChannelViewerTest.this.channel, LIMITS, totals, bandwidth, bandwidth == null ? null : new Monitoring(SECOND, 0));
        }

        void join() {
            subscribeTo(live);
        }

        void leave(String why) {
            end(ViewerEnd.left(why));
        }

        @Override
        public String protocol() {
            return "test";
        }

        @Override
        protected void started(StreamStart start) {
            events.add("started");
        }

        @Override
        protected void write(MediaFrame frame) {
            // The frame's reference passes to the channel with its payload; readOutbound hands it to the test.
            channel.write(frame.payload(), channel.voidPromise());
        }

        @Override
        protected void stopped(StreamStop reason) {
            events.add("stopped");
        }

        @Override
        protected void flagged(BandwidthVerdict verdict) {
            events.add("flagged");
        }

        @Override
        protected void farewell(ViewerEnd end) {
            events.add("farewell " + end.cause() + " " + end.reason());
            channel.close();
        }

        @Override
        protected void departed(ViewerEnd end) {
            events.add("departed " + end.cause() + " subscribed=" + subscribed());
        }
    }

    @AfterEach
    void close() {
        live.close("test over");
        channel.finishAndReleaseAll();
        for (MediaFrame frame : fed) {
            assertEquals(0, frame.refCnt(), "a frame was leaked: " + frame);
        }
    }

    private void feed(ChannelViewer viewer, MediaFrame frame) {
        fed.add(frame);
        viewer.onFrame(frame);
    }

    private void congest() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 8));
        // The buffer's reference passes to the channel's outbound queue, released by the close.
        channel.write(Unpooled.buffer(16).writeZero(16));
        assertFalse(channel.isWritable());
    }

    private void releaseOutbound() {
        for (Object written; (written = channel.readOutbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(written);
        }
    }

    @Test
    void deliveredFramesAreWrittenFlushedAndCounted() {
        Recording viewer = new Recording(null);
        viewer.onStreamStart(new StreamStart("room", false));
        feed(viewer, keyframe(1000, 100));
        feed(viewer, interframe(1033, 50));
        assertEquals(2, viewer.framesSent());
        assertEquals(150, viewer.bytesSent());
        assertEquals(150, totals.bytes());
        assertEquals(2, channel.outboundMessages().size(), "flushed at once with a zero flush interval");
        releaseOutbound();
    }

    @Test
    void everyCauseEndsTheViewerOnceAndLaterEndsAreIgnored() {
        Recording viewer = new Recording(null);
        viewer.join();
        assertEquals(1, live.snapshot().subscribers());
        viewer.onClosed("The room is closed.");
        viewer.kick("Disconnected by an operator.");
        channel.runPendingTasks();
        viewer.leave("connection closed");
        assertEquals(List.of("farewell STOPPED The room is closed.", "departed STOPPED subscribed=false"), viewer.events);
        assertEquals(0, live.snapshot().subscribers(), "the subscription closed");
        assertTrue(viewer.hasEnded());
        viewer.join();
        assertEquals(0, live.snapshot().subscribers(), "an ended viewer never subscribes again");
    }

    @Test
    void aKickEndsTheViewerOnItsLoopWithTheReason() {
        Recording viewer = new Recording(null);
        viewer.kick("Disconnected by an operator.");
        assertEquals(List.of(), viewer.events, "not before its loop runs it");
        channel.runPendingTasks();
        assertEquals(List.of("farewell STOPPED Disconnected by an operator.", "departed STOPPED subscribed=false"),
                viewer.events);
    }

    @Test
    void anEndedViewerReleasesWhatItIsStillFed() {
        Recording viewer = new Recording(null);
        viewer.leave("stream deleted");
        viewer.onStreamStart(new StreamStart("room", false));
        viewer.onStreamStop(StreamStop.HIDDEN);
        feed(viewer, keyframe(0, 100));
        assertEquals(0, viewer.framesSent());
        assertEquals(List.of("farewell LEFT stream deleted", "departed LEFT subscribed=false"), viewer.events);
    }

    @Test
    void aViewerBehindLongerThanTheLagEndsTooSlowOnItsNextFrame() {
        Recording viewer = new Recording(null);
        viewer.onStreamStart(new StreamStart("room", false));
        congest();
        long since = System.nanoTime();
        feed(viewer, interframe(0, 100));
        assertTrue(viewer.lagging());
        await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() - since > 2 * LIMITS.maxLag().toNanos());
        feed(viewer, interframe(33, 100));
        assertEquals(List.of("started", "farewell TOO_SLOW too slow", "departed TOO_SLOW subscribed=false"), viewer.events);
        assertEquals(1, viewer.drops().totalFrames());
    }

    @Test
    void aStuckViewerEndsTooSlowWithoutAnotherFrame() {
        Recording viewer = new Recording(null);
        viewer.onStreamStart(new StreamStart("room", false));
        congest();
        feed(viewer, interframe(0, 100));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            channel.runScheduledPendingTasks();
            return viewer.hasEnded();
        });
        assertEquals(List.of("started", "farewell TOO_SLOW too slow", "departed TOO_SLOW subscribed=false"), viewer.events);
    }

    @Test
    void aViewerBelowAWarnedRoomsRateIsFlaggedAndPlaysOn() {
        BandwidthRegistry registry = Bandwidths.registry(BandwidthPolicy.WARN);
        Recording viewer = new Recording(registry.watch("room", "viewer"));
        congest();
        long t = System.nanoTime();
        viewer.sampleDelivery(t + SECOND, new TcpFigures());
        viewer.sampleDelivery(t + 2 * SECOND, new TcpFigures());
        assertEquals(List.of("flagged"), viewer.events);
        assertFalse(viewer.hasEnded());
        assertEquals(0, registry.room("room").snapshot().disconnectedTotal());
        viewer.leave("connection closed");
        assertEquals(0, registry.room("room").snapshot().viewersBelow(), "its counts left the room");
    }

    @Test
    void aViewerBelowAnEnforcedRoomsRateIsEndedAndCountedOnce() {
        BandwidthRegistry registry = Bandwidths.registry(BandwidthPolicy.ENFORCE);
        Recording viewer = new Recording(registry.watch("room", "viewer"));
        int monitored = DeliveryMonitor.forLoop(channel.eventLoop(), SECOND).size();
        congest();
        long t = System.nanoTime();
        viewer.sampleDelivery(t + SECOND, new TcpFigures());
        viewer.sampleDelivery(t + 2 * SECOND, new TcpFigures());
        assertEquals(List.of("farewell BELOW_BANDWIDTH insufficient bandwidth", "departed BELOW_BANDWIDTH subscribed=false"),
                viewer.events);
        assertEquals(1, registry.room("room").snapshot().disconnectedTotal());
        assertEquals(0, registry.room("room").snapshot().viewersBelow(), "its counts left the room");
        assertEquals(monitored - 1, DeliveryMonitor.forLoop(channel.eventLoop(), SECOND).size(), "no longer sampled");
    }

    @Test
    void anUnwatchedViewerHasNoBandwidthAndIsNeverSampled() {
        Recording viewer = new Recording(null);
        assertNull(viewer.bandwidth());
        viewer.sampleDelivery(System.nanoTime(), new TcpFigures());
        assertEquals(List.of(), viewer.events);
    }

    @Test
    void aViewerJoiningLiveIsTimedToItsFirstKeyframe() {
        List<Long> timed = new ArrayList<>();
        totals.timeToFirstFrameTo(timed::add);
        channel.attr(ConnectionTracker.ACTIVE_SINCE_NANOS).set(System.nanoTime());
        Recording viewer = new Recording(null);
        viewer.onStreamStart(new StreamStart("room", false));
        feed(viewer, interframe(0, 10));
        assertEquals(List.of(), timed);
        feed(viewer, keyframe(33, 10));
        feed(viewer, keyframe(66, 10));
        assertEquals(1, timed.size());
        assertTrue(timed.get(0) >= 0);
        releaseOutbound();
    }
}
