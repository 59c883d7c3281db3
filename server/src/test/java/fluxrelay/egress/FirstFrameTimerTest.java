package fluxrelay.egress;

import static fluxrelay.testing.Frames.audio;
import static fluxrelay.testing.Frames.interframe;
import static fluxrelay.testing.Frames.keyframe;
import static fluxrelay.testing.Frames.videoHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FirstFrameTimer}: one time per viewer, from its connection to its first keyframe, only when joining live. */
class FirstFrameTimerTest {

    private final List<Long> timed = new ArrayList<>();
    private final EgressCounters totals = new EgressCounters("test");

    FirstFrameTimerTest() {
        totals.timeToFirstFrameTo(timed::add);
    }

    private static boolean deliver(FirstFrameTimer timer, MediaFrame frame, long now) {
        try {
            return timer.delivered(frame, now);
        } finally {
            frame.release();
        }
    }

    @Test
    void aViewerJoiningALiveRoomIsTimedToItsFirstKeyframeOnce() {
        FirstFrameTimer timer = new FirstFrameTimer(totals, 1_000);
        assertTrue(timer.streamStarted(false));
        assertFalse(deliver(timer, videoHeader(0), 2_000), "a sequence header is not a picture");
        assertFalse(deliver(timer, audio(0, 10), 3_000));
        assertFalse(deliver(timer, interframe(0, 10), 4_000));
        assertTrue(deliver(timer, keyframe(0, 10), 5_000));
        assertEquals(List.of(4_000L), timed);
        assertTrue(deliver(timer, keyframe(2000, 10), 9_000), "done for good");
        assertEquals(List.of(4_000L), timed);
    }

    @Test
    void aViewerThatWaitedForThePublisherIsNotTimed() {
        FirstFrameTimer timer = new FirstFrameTimer(totals, 1_000);
        assertFalse(timer.streamStarted(true));
        assertTrue(deliver(timer, keyframe(0, 10), 5_000));
        assertEquals(List.of(), timed);
    }

    @Test
    void onlyTheFirstStartCounts() {
        FirstFrameTimer timer = new FirstFrameTimer(totals, 1_000);
        assertTrue(timer.streamStarted(false));
        assertFalse(deliver(timer, interframe(0, 10), 2_000));
        assertFalse(timer.streamStarted(false), "a restart before the first keyframe ends the timing");
        assertTrue(deliver(timer, keyframe(0, 10), 5_000));
        assertEquals(List.of(), timed);
    }

    @Test
    void framesBeforeAnyStartAreNotTimed() {
        FirstFrameTimer timer = new FirstFrameTimer(totals, 1_000);
        assertFalse(deliver(timer, keyframe(0, 10), 2_000));
        assertEquals(List.of(), timed);
    }
}
