package fluxrelay.loadtest.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    @Test
    void loopLastsFromFirstToLastPlusOneFrame() {
        long[] video = {0, 33, 67, 100};
        long[] all = {0, 10, 33, 53, 67, 100};
        assertEquals(133, Pacer.loopDuration(all, video));
        assertEquals(100 + 10, Pacer.loopDuration(new long[] {0, 10, 20, 100}, new long[0]), "median audio step without video");
    }

    @Test
    void tagsAreDueAtTheirTimestampsAndLoopContinuously() {
        Pacer pacer = new Pacer(new long[] {1000, 1020, 1033}, 66);
        List<Long> sent = new ArrayList<>();
        for (long now = 0; now <= 140; now++) {
            while (pacer.due(now)) {
                sent.add(pacer.nextTimestamp() * 10 + pacer.nextIndex());
                pacer.advance();
            }
        }
        // Timestamps rebased to 0, then +66 per loop: 0,20,33 | 66,86,99 | 132 (index as the last digit).
        assertEquals(List.of(0L, 201L, 332L, 660L, 861L, 992L, 1320L), sent);
        assertEquals(7, pacer.sent());
        assertFalse(pacer.due(140));
        assertTrue(pacer.due(152));
    }

    @Test
    void rejectsNothingToPace() {
        assertThrows(IllegalArgumentException.class, () -> new Pacer(new long[0], 10));
        assertThrows(IllegalArgumentException.class, () -> new Pacer(new long[] {1}, 0));
    }
}
