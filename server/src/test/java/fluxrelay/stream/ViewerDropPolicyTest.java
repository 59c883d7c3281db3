package fluxrelay.stream;

import static fluxrelay.testing.Frames.audio;
import static fluxrelay.testing.Frames.interframe;
import static fluxrelay.testing.Frames.keyframe;
import static fluxrelay.testing.Frames.videoHeader;
import static fluxrelay.stream.ViewerDropPolicy.Verdict.DELIVER;
import static fluxrelay.stream.ViewerDropPolicy.Verdict.DISCONNECT;
import static fluxrelay.stream.ViewerDropPolicy.Verdict.DROP;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fluxrelay.media.MediaFrame;
import fluxrelay.stream.ViewerDropPolicy.Verdict;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ViewerDropPolicyTest {

    private final DropCounters counters = new DropCounters();
    private final ViewerDropPolicy policy = new ViewerDropPolicy(1000, TimeUnit.SECONDS.toNanos(10), counters);

    private Verdict decide(MediaFrame frame, boolean writable, long queued, long seconds) {
        try {
            return policy.decide(frame, writable, queued, TimeUnit.SECONDS.toNanos(seconds));
        } finally {
            frame.release();
        }
    }

    @Test
    void aCongestedViewerLosesWholeGopsAndResumesAtAKeyframe() {
        assertEquals(DELIVER, decide(keyframe(0, 10), true, 0, 0));
        assertEquals(DROP, decide(interframe(33, 10), false, 500, 0));
        assertEquals(DROP, decide(interframe(66, 10), true, 0, 0), "no reference frame in the middle of a GOP");
        assertEquals(DELIVER, decide(videoHeader(70), true, 0, 0), "sequence headers always pass");
        assertEquals(DELIVER, decide(keyframe(2000, 10), true, 0, 0));
        assertEquals(DELIVER, decide(interframe(2033, 10), true, 0, 0));
        assertEquals(1, counters.frames(DropReason.CONGESTION));
        assertEquals(1, counters.frames(DropReason.GOP_SKIP));
    }

    @Test
    void aKeyframeWhileStillCongestedIsDroppedToo() {
        decide(interframe(0, 10), false, 500, 0);
        assertEquals(DROP, decide(keyframe(2000, 10), false, 500, 1));
    }

    @Test
    void audioKeepsFlowingUntilTheHardLimit() {
        assertEquals(DELIVER, decide(audio(0, 10), false, 900, 0));
        assertEquals(DROP, decide(audio(20, 10), false, 1001, 0));
        assertEquals(1, counters.frames(DropReason.AUDIO_OVERFLOW));
    }

    @Test
    void aViewerBehindLongerThanTheLagIsDisconnected() {
        assertEquals(DROP, decide(interframe(0, 10), false, 500, 0));
        assertEquals(DROP, decide(interframe(33, 10), false, 500, 9));
        assertEquals(DISCONNECT, decide(interframe(66, 10), false, 500, 11));
    }

    @Test
    void catchingUpResetsTheLagClock() {
        decide(interframe(0, 10), false, 500, 0);
        decide(audio(10, 10), true, 0, 8);
        assertEquals(DROP, decide(interframe(66, 10), false, 500, 15));
        assertEquals(DROP, decide(interframe(99, 10), false, 500, 24));
    }
}
