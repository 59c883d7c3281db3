package fluxrelay.loadtest.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void aFewViewersLongestGapsInMillisecondsNegativeOnesLeftOut() {
        long[] gaps = new long[100];
        for (int i = 0; i < gaps.length; i++) {
            gaps[i] = 40_000 + i * 100;
        }
        gaps[99] = 7_300_000;
        Percentiles p = Percentiles.ofMicros(gaps);
        assertEquals(100, p.count());
        assertEquals(44.9, p.p50(), 0.1);
        assertEquals(49.8, p.p99(), 0.1);
        assertEquals(7300.0, p.max(), 7300 * 0.001);
        assertEquals(2, Percentiles.ofMicros(-1, 5_000, 6_000).count());
        assertSame(Percentiles.EMPTY, Percentiles.ofMicros());
    }
}
