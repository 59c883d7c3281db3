package fluxrelay.stream;

import static fluxrelay.testing.Frames.audio;
import static fluxrelay.testing.Frames.audioHeader;
import static fluxrelay.testing.Frames.interframe;
import static fluxrelay.testing.Frames.keyframe;
import static fluxrelay.testing.Frames.metadata;
import static fluxrelay.testing.Frames.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveStreamTest {

    private static final Duration TAKEOVER = Duration.ofSeconds(3);
    private final LiveStream stream = new LiveStream("room1", true, new StreamLimits(1 << 20, 100));
    private final List<MediaFrame> published = new ArrayList<>();

    @AfterEach
    void allBuffersAreReleased() {
        stream.close("test over");
        for (MediaFrame frame : published) {
            assertEquals(0, frame.refCnt(), "a frame was leaked: " + frame);
        }
    }

    private PublisherSlot claim(FakePublisher publisher) {
        return assertInstanceOf(PublishClaim.Granted.class, stream.claim(publisher, TAKEOVER)).slot();
    }

    private void publish(PublisherSlot slot, MediaFrame frame) {
        published.add(frame);
        slot.publish(frame);
    }

    private void publishOpening(PublisherSlot slot, long ts) {
        publish(slot, metadata(ts));
        publish(slot, videoHeader(ts));
        publish(slot, audioHeader(ts));
    }

    @Test
    void aViewerJoiningMidStreamStartsWithHeadersAndTheCurrentGop() {
        PublisherSlot slot = claim(new FakePublisher());
        publishOpening(slot, 0);
        publish(slot, keyframe(0, 100));
        publish(slot, audio(10, 10));
        publish(slot, interframe(33, 50));
        publish(slot, keyframe(2000, 100));
        publish(slot, interframe(2033, 50));
        publish(slot, audio(2040, 10));

        RecordingSubscriber viewer = new RecordingSubscriber();
        stream.subscribe(viewer);
        assertEquals(List.of("meta", "vh", "ah", "key", "inter", "audio"), viewer.kinds());
        assertEquals(List.of(2000L, 2000L, 2000L, 2000L, 2033L, 2040L), viewer.timestamps(), "headers stamped at the GOP start");
        assertFalse(viewer.starts.get(0).afterWait());
        assertEquals(List.of(6), viewer.startFramesDelivered, "told once the start frames were all handed over");

        publish(slot, interframe(2066, 50));
        assertEquals("inter", viewer.kinds().get(6));
        assertEquals(List.of(6), viewer.startFramesDelivered, "live frames are not start frames");
    }

    @Test
    void aViewerWaitingBeforeThePublishGetsEverythingFromTheStart() {
        RecordingSubscriber viewer = new RecordingSubscriber();
        stream.subscribe(viewer);
        assertTrue(viewer.starts.isEmpty());
        PublisherSlot slot = claim(new FakePublisher());
        assertTrue(viewer.starts.get(0).afterWait());
        publishOpening(slot, 0);
        publish(slot, keyframe(0, 100));
        assertEquals(List.of("meta", "vh", "ah", "key"), viewer.kinds());
    }

    @Test
    void framesBeforeTheFirstKeyframeAreHeldBack() {
        RecordingSubscriber viewer = new RecordingSubscriber();
        stream.subscribe(viewer);
        PublisherSlot slot = claim(new FakePublisher());
        publish(slot, videoHeader(0));
        publish(slot, interframe(0, 10));
        publish(slot, audio(5, 10));
        publish(slot, keyframe(33, 10));
        publish(slot, audio(40, 10));
        assertEquals(List.of("vh", "key", "audio"), viewer.kinds());
    }

    @Test
    void aRoomNotShownKeepsViewersWaitingUntilGoLive() {
        LiveStream manual = new LiveStream("manual", false, new StreamLimits(1 << 20, 100));
        try {
            RecordingSubscriber viewer = new RecordingSubscriber();
            manual.subscribe(viewer);
            PublisherSlot slot = assertInstanceOf(PublishClaim.Granted.class, manual.claim(new FakePublisher(), TAKEOVER)).slot();
            MediaFrame header = videoHeader(0);
            MediaFrame key = keyframe(0, 10);
            published.add(header);
            published.add(key);
            slot.publish(header);
            slot.publish(key);
            assertTrue(viewer.frames.isEmpty());
            assertFalse(manual.snapshot().visible());

            manual.setShown(true);
            assertEquals(List.of("vh", "key"), viewer.kinds());
            assertTrue(viewer.starts.get(0).afterWait());

            manual.setShown(false);
            assertEquals(List.of(StreamStop.HIDDEN), viewer.stops);
        } finally {
            manual.close("done");
        }
    }

    @Test
    void aLivePublisherKeepsTheRoomAndADeadOneIsTakenOver() {
        FakePublisher first = new FakePublisher();
        PublisherSlot slot = claim(first);
        RecordingSubscriber viewer = new RecordingSubscriber();
        stream.subscribe(viewer);
        publishOpening(slot, 0);
        publish(slot, keyframe(0, 10));
        publish(slot, interframe(5000, 10));

        assertInstanceOf(PublishClaim.Busy.class, stream.claim(new FakePublisher(), TAKEOVER));

        first.lastActivity = System.nanoTime() - Duration.ofSeconds(5).toNanos();
        PublisherSlot second = claim(new FakePublisher());
        assertEquals(1, first.evictions.size());
        assertFalse(slot.isCurrent());
        publish(slot, interframe(5033, 10)); // a late frame of the evicted publisher is ignored

        publishOpening(second, 0);
        publish(second, interframe(0, 10)); // not a keyframe yet: held back
        publish(second, keyframe(33, 10));
        publish(second, audio(40, 10));

        assertEquals(List.of(StreamStop.UNPUBLISHED), viewer.stops);
        assertTrue(viewer.starts.get(1).afterWait());
        List<Long> ts = viewer.timestamps();
        for (int i = 1; i < ts.size(); i++) {
            assertTrue(ts.get(i) >= ts.get(i - 1), "timestamps went backwards: " + ts);
        }
        assertTrue(ts.get(ts.size() - 1) > 5000, "the new publisher continues after the old one: " + ts);
        assertEquals(List.of("meta", "vh", "ah", "key", "inter", "meta", "vh", "ah", "key", "audio"), viewer.kinds());
    }

    @Test
    void aDisconnectedPublisherIsTakenOverAtOnce() {
        FakePublisher first = new FakePublisher();
        claim(first);
        first.connected = false;
        assertInstanceOf(PublishClaim.Granted.class, stream.claim(new FakePublisher(), TAKEOVER));
    }

    @Test
    void theGopCacheIsBoundedAndRestartsAtTheNextKeyframe() {
        LiveStream small = new LiveStream("small", true, new StreamLimits(1 << 20, 3));
        try {
            PublisherSlot slot = assertInstanceOf(PublishClaim.Granted.class, small.claim(new FakePublisher(), TAKEOVER)).slot();
            List<MediaFrame> frames = List.of(videoHeader(0), keyframe(0, 10), interframe(1, 10), interframe(2, 10),
                    interframe(3, 10), interframe(4, 10));
            published.addAll(frames);
            frames.forEach(slot::publish);
            RecordingSubscriber late = new RecordingSubscriber();
            small.subscribe(late);
            assertEquals(List.of("vh"), late.kinds());
            assertEquals(1, small.snapshot().gopCacheFrames());

            MediaFrame key = keyframe(100, 10);
            published.add(key);
            slot.publish(key);
            assertEquals(List.of("vh", "key"), late.kinds());
            assertEquals(2, small.snapshot().gopCacheFrames());
        } finally {
            small.close("done");
        }
    }

    @Test
    void subscribersOnAnotherExecutorGetFramesInOrderThroughOneTaskPerFrame() {
        List<Runnable> tasks = new ArrayList<>();
        Executor queued = tasks::add;
        RecordingSubscriber a = new RecordingSubscriber(queued);
        RecordingSubscriber b = new RecordingSubscriber(queued);
        stream.subscribe(a);
        stream.subscribe(b);
        PublisherSlot slot = claim(new FakePublisher());
        int before = tasks.size();
        publish(slot, videoHeader(0));
        publish(slot, keyframe(0, 10));
        assertEquals(before + 2, tasks.size(), "one task per frame for the whole group");
        tasks.forEach(Runnable::run);
        assertEquals(List.of("vh", "key"), a.kinds());
        assertEquals(List.of("vh", "key"), b.kinds());
    }

    @Test
    void aViewerSubscribingOnItsOwnThreadGetsItsStartBeforeTheSubscribeReturnsAndLiveFramesAfter() {
        PublisherSlot slot = claim(new FakePublisher());
        publishOpening(slot, 0);
        publish(slot, keyframe(0, 100));
        List<Runnable> tasks = new ArrayList<>();
        RecordingSubscriber viewer = new RecordingSubscriber(tasks::add).startingWithinSubscribe();
        stream.subscribe(viewer);
        assertEquals(List.of("meta", "vh", "ah", "key"), viewer.kinds(), "the start, handed over within the subscribe");
        assertEquals(List.of(4), viewer.startFramesDelivered);
        assertTrue(tasks.isEmpty(), "nothing queued for the start");

        publish(slot, interframe(33, 50));
        assertEquals(4, viewer.frames.size(), "a live frame goes through the viewer's executor");
        tasks.forEach(Runnable::run);
        assertEquals("inter", viewer.kinds().get(4));
    }

    @Test
    void aViewerWaitingForThePublishGetsItsStartQueuedWhateverItsThread() {
        List<Runnable> tasks = new ArrayList<>();
        RecordingSubscriber viewer = new RecordingSubscriber(tasks::add).startingWithinSubscribe();
        stream.subscribe(viewer);
        PublisherSlot slot = claim(new FakePublisher());
        assertTrue(viewer.starts.isEmpty(), "the publisher's thread is not the viewer's: the start is queued");
        assertEquals(1, tasks.size());
        tasks.forEach(Runnable::run);
        assertTrue(viewer.starts.get(0).afterWait());
        assertEquals(1, stream.snapshot().subscribers());
        slot.close();
    }

    @Test
    void anUnsubscribedViewerGetsNothingMore() {
        PublisherSlot slot = claim(new FakePublisher());
        RecordingSubscriber viewer = new RecordingSubscriber();
        Subscription subscription = stream.subscribe(viewer);
        publish(slot, keyframe(0, 10));
        subscription.close();
        publish(slot, interframe(33, 10));
        assertEquals(List.of("key"), viewer.kinds());
        assertEquals(0, stream.snapshot().subscribers());
    }

    @Test
    void closingTheRoomEvictsThePublisherAndTellsEverySubscriber() {
        FakePublisher publisher = new FakePublisher();
        claim(publisher);
        RecordingSubscriber viewer = new RecordingSubscriber();
        stream.subscribe(viewer);
        stream.close("room deleted");
        assertEquals(List.of("room deleted"), publisher.evictions);
        assertEquals(List.of("room deleted"), viewer.closes);
    }

    @Test
    void aWarningIsReplacedByTheNextJudgementOfItsTopicAndClearedWhenTheStreamIsBackInRange() {
        LiveStream stream = new LiveStream("warned", true, new StreamLimits(1 << 20, 1000));
        PublisherSlot slot = ((PublishClaim.Granted) stream.claim(new FakePublisher(), java.time.Duration.ofSeconds(3))).slot();
        for (int kbps = 2500; kbps < 2600; kbps++) {
            slot.warn(PublisherSlot.BITRATE, "video bitrate " + kbps + " kbit/s is outside the recommended 1000-2000 kbit/s");
        }
        slot.warn(PublisherSlot.FORMAT, "resolution 3840x2160 is above the allowed 1920x1080");
        assertEquals(java.util.List.of("video bitrate 2599 kbit/s is outside the recommended 1000-2000 kbit/s",
                "resolution 3840x2160 is above the allowed 1920x1080"), stream.snapshot().ingest().warnings());
        slot.warn(PublisherSlot.BITRATE, null);
        assertEquals(java.util.List.of("resolution 3840x2160 is above the allowed 1920x1080"), stream.snapshot().ingest().warnings());
        slot.warn(PublisherSlot.FORMAT, null);
        assertTrue(stream.snapshot().ingest().warnings().isEmpty());
        slot.close();
    }

    @Test
    void anEncoderTimestampJumpIsRebasedAndAnnouncedToSubscribersInOrder() {
        PublisherSlot slot = claim(new FakePublisher());
        RecordingSubscriber viewer = new RecordingSubscriber();
        stream.subscribe(viewer);
        publishOpening(slot, 0);
        publish(slot, keyframe(0, 10));
        publish(slot, interframe(33, 10));
        publish(slot, interframe(3_600_066, 10)); // an hour forward
        publish(slot, interframe(3_600_099, 10));
        publish(slot, keyframe(66, 10)); // and back
        assertEquals(List.of("meta", "vh", "ah", "key", "inter", "jump", "inter", "inter", "jump", "key"), viewer.kinds());
        assertEquals(List.of(0L, 0L, 0L, 0L, 33L, -1L, 66L, 99L, -1L, 132L), viewer.timestamps(),
                "each jump continues one frame after the last");
        assertEquals(132, stream.snapshot().lastTimestamp());
        assertEquals(1, stream.snapshot().ingest().warnings().size(), stream.snapshot().ingest().warnings().toString());
    }

    /** Throws an Error from every callback (releasing its frames first), as an output hit by a bug or by memory running out. */
    private record ThrowingSubscriber(Executor executor) implements StreamSubscriber {
        @Override
        public void onStreamStart(StreamStart start) {
            throw new Error("injected: on start");
        }

        @Override
        public void onFrame(MediaFrame frame) {
            frame.release();
            throw new Error("injected: on a frame");
        }

        @Override
        public void onStreamStop(StreamStop reason) {
            throw new Error("injected: on stop");
        }

        @Override
        public void onClosed(String reason) {
        }
    }

    @Test
    void aSubscriberThrowingAnErrorLeavesItsThreadAndTheOtherSubscribersWorking() throws Exception {
        DefaultEventExecutor thread = new DefaultEventExecutor();
        try {
            RecordingSubscriber viewer = new RecordingSubscriber(thread);
            stream.subscribe(new ThrowingSubscriber(thread));
            stream.subscribe(viewer);
            PublisherSlot slot = claim(new FakePublisher());
            publish(slot, videoHeader(0));
            publish(slot, keyframe(0, 10));
            slot.close();
            PublisherSlot next = claim(new FakePublisher());
            publish(next, keyframe(2000, 10));
            publish(next, interframe(2033, 10));
            assertEquals(List.of("vh", "key", "key", "inter"), thread.submit(viewer::kinds).get(5, TimeUnit.SECONDS));
            assertEquals(2, thread.submit(() -> viewer.starts.size()).get(5, TimeUnit.SECONDS));
            assertFalse(thread.isShuttingDown(), "the shared thread still runs");
        } finally {
            thread.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aSubscriberWhoseThreadTakesNoMoreWorkIsDroppedAndThePublishGoesOn() {
        DefaultEventExecutor dead = new DefaultEventExecutor();
        dead.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        AtomicBoolean open = new AtomicBoolean(true);
        Executor dying = task -> {
            if (!open.get()) {
                throw new RejectedExecutionException("injected: thread ended");
            }
            task.run();
        };
        RecordingSubscriber viewer = new RecordingSubscriber();
        stream.subscribe(new RecordingSubscriber(dead));
        stream.subscribe(new RecordingSubscriber(dying));
        stream.subscribe(viewer);
        PublisherSlot slot = claim(new FakePublisher());
        assertEquals(2, stream.snapshot().subscribers(), "the subscriber on the ended thread is dropped at the start");
        publish(slot, videoHeader(0));
        open.set(false);
        publish(slot, keyframe(0, 10));
        assertEquals(1, stream.snapshot().subscribers(), "the subscriber whose thread ended mid-stream is dropped");
        stream.subscribe(new RecordingSubscriber(dead));
        publish(slot, interframe(33, 10));
        assertEquals(List.of("vh", "key", "inter"), viewer.kinds());
        assertEquals(1, stream.snapshot().subscribers());
        assertTrue(slot.isCurrent(), "the publisher stays on");
    }
}
