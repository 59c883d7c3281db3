package fluxrelay.loadtest.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlayoutTest {

    private static final long S = 1_000_000_000L;

    @Test
    void segmentsInTimeNeverStall() {
        Playout playout = new Playout();
        assertEquals(0, playout.segment(0, 2.0));
        assertEquals(0, playout.segment(S, 2.0));
        assertEquals(3 * S, playout.bufferAheadNanos(S));
        assertEquals(0, playout.segment(3 * S, 2.0));
        assertFalse(playout.stalled(5 * S));
    }

    @Test
    void aLateSegmentIsAStallOfTheTimeTheBufferWasEmpty() {
        Playout playout = new Playout();
        playout.segment(0, 2.0);
        assertFalse(playout.stalled(S));
        assertTrue(playout.stalled(3 * S));
        assertEquals(2 * S, playout.dryAtNanos());
        assertEquals(S + S / 2, playout.segment(3 * S + S / 2, 2.0));
        assertFalse(playout.stalled(4 * S));
        // Without polling in between the stall is still counted when the segment comes.
        assertEquals(S, playout.segment(6 * S + S / 2, 2.0));
        assertEquals(2 * S, playout.bufferAheadNanos(6 * S + S / 2));
    }
}
