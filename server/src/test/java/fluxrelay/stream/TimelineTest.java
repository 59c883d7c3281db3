package fluxrelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final long HOUR = 3_600_000;
    private final Timeline timeline = new Timeline(10_000);

    /** Maps 30 fps video frames from {@code from}, returning the last output. */
    private long frames(long from, int count) {
        long out = -1;
        for (int i = 0; i < count; i++) {
            out = timeline.map(from + i * 33L, 0);
            assertFalse(timeline.discontinuity(), "frame " + i + " from " + from);
        }
        return out;
    }

    @Test
    void theFirstPublisherKeepsItsTimestamps() {
        assertEquals(1000, timeline.map(1000, 0));
        assertEquals(1033, timeline.map(1033, 0));
        assertFalse(timeline.discontinuity());
    }

    @Test
    void aNewPublisherContinuesAfterTheWallClockGap() {
        timeline.map(5000, 0);
        timeline.newPublisher();
        long resumed = timeline.map(0, TimeUnit.SECONDS.toNanos(3));
        assertEquals(8000, resumed);
        assertFalse(timeline.discontinuity(), "a new publisher is no discontinuity of the timeline");
        assertEquals(8033, timeline.map(33, TimeUnit.SECONDS.toNanos(3)));
    }

    @Test
    void aSmallStepBackHoldsTheTimeline() {
        timeline.map(100, 0);
        assertEquals(100, timeline.map(90, 0));
        assertFalse(timeline.discontinuity(), "audio and video a little out of order");
        assertEquals(120, timeline.map(120, 0));
    }

    @Test
    void aForwardStepWithinTheBoundIsKept() {
        timeline.map(1000, 0);
        assertEquals(10_999, timeline.map(10_999, 0));
        assertEquals(11_032, timeline.map(11_032, 0));
        assertFalse(timeline.discontinuity());
    }

    @Test
    void aJumpOfAnHourForwardContinuesOneFrameLater() {
        assertEquals(1033 + 99 * 33, frames(1033, 100));
        long before = 1033 + 99 * 33;
        assertEquals(before + 33, timeline.map(before + HOUR, 0));
        assertTrue(timeline.discontinuity());
        assertEquals(before + 66, timeline.map(before + HOUR + 33, 0), "and runs on from there");
        assertFalse(timeline.discontinuity());
        assertEquals(before + 66, timeline.lastTimestamp());
    }

    @Test
    void aJumpOfAnHourBackwardContinuesOneFrameLater() {
        long before = frames(2 * HOUR, 100);
        assertEquals(before + 33, timeline.map(HOUR, 0));
        assertTrue(timeline.discontinuity());
        assertEquals(before + 66, timeline.map(HOUR + 33, 0));
        assertFalse(timeline.discontinuity());
    }

    @Test
    void aGenuineWrapPast32BitsIsUnwrapped() {
        long before = timeline.map(0xFFFFFF00L, 0);
        long after = timeline.map(0x10, 0);
        assertFalse(timeline.discontinuity(), "a wrap near 2^32 ms is time running on");
        assertEquals(0x100000010L, after);
        assertTrue(after > before);
        assertEquals(0x100000010L + 33, timeline.map(0x10 + 33, 0));
    }

    @Test
    void aFallFarFromTheWrapPointIsNoWrap() {
        long before = timeline.map(3_000_000_000L, 0);
        timeline.map(3_000_000_033L, 0);
        assertEquals(before + 66, timeline.map(100, 0), "rebased, not pushed 2^32 ms ahead");
        assertTrue(timeline.discontinuity());
    }

    @Test
    void randomTimestampsGiveAMonotonicTimelineInSmallSteps() {
        SplittableRandom random = new SplittableRandom(17);
        long last = timeline.map(random.nextLong(1L << 32), 0);
        int discontinuities = 0;
        for (int i = 0; i < 10_000; i++) {
            long out = timeline.map(random.nextLong(1L << 32), 0);
            long bound = timeline.discontinuity() ? Timeline.MAX_FRAME_STEP_MS : 10_000;
            assertTrue(out >= last && out - last <= bound, "step " + (out - last) + " at frame " + i);
            discontinuities += timeline.discontinuity() ? 1 : 0;
            last = out;
        }
        assertTrue(discontinuities > 9_900, "nearly every frame is a jump: " + discontinuities);
    }

    @Test
    void aPublisherAfterAJumpStillContinuesOnTheWallClock() {
        long before = frames(0, 10);
        timeline.map(HOUR, 0);
        timeline.newPublisher();
        assertEquals(before + 33 + 2000, timeline.map(0, TimeUnit.SECONDS.toNanos(2)));
    }

    @Test
    void aJumpResumesAfterEveryTracksLastPresentationPlusItsFrame() {
        timeline.map(1000, Timeline.Track.VIDEO, 0, 0);
        timeline.map(1010, Timeline.Track.AUDIO, 0, 0);
        timeline.map(1033, Timeline.Track.VIDEO, 67, 0); // a picture shown two frames after it is decoded
        timeline.map(1033, Timeline.Track.AUDIO, 0, 0);
        assertEquals(1033 + 67 + 33, timeline.map(HOUR, Timeline.Track.AUDIO, 0, 0),
                "after the last picture shown, not after the last audio");
        assertTrue(timeline.discontinuity());
    }
}
