package fluxrelay.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.DeliveryEstimator.Change;
import org.junit.jupiter.api.Test;

/** Windows of a 3 Mbit/s requirement, flagged after 5 below windows: what flags, what clears, what says nothing. */
class DeliveryEstimatorTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long REQUIRED = 3_000_000;

    /** Bytes a link of {@code mbps} delivers in one second. */
    private static long second(double mbps) {
        return (long) (mbps * 1e6 / 8);
    }

    private final DeliveryEstimator estimator = new DeliveryEstimator(REQUIRED, 5);

    @Test
    void theFirstWindowIsTheJoinBurstAndIsIgnored() {
        assertEquals(Change.NONE, estimator.window(second(1), SECOND, true));
        assertFalse(estimator.judged());
        for (int i = 0; i < 4; i++) {
            assertEquals(Change.NONE, estimator.window(second(1.9), SECOND, true));
        }
        assertFalse(estimator.flagged());
        assertEquals(Change.FLAGGED, estimator.window(second(1.9), SECOND, true));
        assertTrue(estimator.flagged());
        assertEquals(1.9e6, estimator.estimateBitsPerSecond(), 0.01e6);
    }

    @Test
    void aViewerKeepingUpWithASlowerStreamIsNeverFlagged() {
        estimator.window(second(8), SECOND, true);
        for (int i = 0; i < 100; i++) {
            // A 2.5 Mbit/s stream drained as fast as it comes: below the requirement, but not network-limited.
            assertEquals(Change.NONE, estimator.window(second(2.5), SECOND, false));
        }
        assertFalse(estimator.flagged());
        assertTrue(estimator.judged());
    }

    @Test
    void keptUpWindowsDoNotResetBelowEvidenceButAgeItOut() {
        estimator.window(0, SECOND, false);
        for (int i = 0; i < 3; i++) {
            estimator.window(second(2), SECOND, true);
        }
        estimator.window(second(2), SECOND, false);
        estimator.window(second(2), SECOND, false);
        // Five below windows within the last ten: flagged.
        estimator.window(second(2), SECOND, true);
        assertEquals(Change.FLAGGED, estimator.window(second(2), SECOND, true));
    }

    @Test
    void belowWindowsScatteredFurtherApartThanTheHorizonNeverFlag() {
        estimator.window(0, SECOND, false);
        for (int i = 0; i < 60; i++) {
            boolean below = i % 3 == 0;
            assertEquals(Change.NONE, estimator.window(second(below ? 2 : 2.5), SECOND, below));
        }
        assertFalse(estimator.flagged());
    }

    @Test
    void okEvidenceResetsAndFiveOkWindowsClearAFlag() {
        estimator.window(0, SECOND, false);
        for (int i = 0; i < 4; i++) {
            estimator.window(second(2), SECOND, true);
        }
        // Backlogged but delivering 4 Mbit/s: the link is fine, the count starts again.
        estimator.window(second(4), SECOND, true);
        for (int i = 0; i < 4; i++) {
            assertEquals(Change.NONE, estimator.window(second(2), SECOND, true));
        }
        assertEquals(Change.FLAGGED, estimator.window(second(2), SECOND, true));
        for (int i = 0; i < 4; i++) {
            assertEquals(Change.NONE, estimator.window(second(5), SECOND, false));
        }
        assertEquals(Change.CLEARED, estimator.window(second(5), SECOND, false));
        assertFalse(estimator.flagged());
    }

    @Test
    void aSegmentCanBeJudgedAgainstALowerNeed() {
        for (int i = 0; i < 10; i++) {
            // 600 KB segments taking 2.5 s (1.92 Mbit/s) of a rendition needing 1.5 Mbit/s: ok evidence, never flagged.
            assertEquals(Change.NONE, estimator.segment(600_000, 2_500_000_000L, 1_500_000));
        }
        assertFalse(estimator.flagged());
        for (int i = 0; i < 4; i++) {
            assertEquals(Change.NONE, estimator.segment(600_000, 2_500_000_000L, REQUIRED));
        }
        assertEquals(Change.FLAGGED, estimator.segment(600_000, 2_500_000_000L, REQUIRED), "the same figure against more");
    }

    @Test
    void hlsSegmentsAreNetworkLimitedUnlessTiny() {
        for (int i = 0; i < 4; i++) {
            // 600 KB segments taking 2.5 s: 1.92 Mbit/s.
            assertEquals(Change.NONE, estimator.segment(600_000, 2_500_000_000L));
        }
        assertEquals(Change.FLAGGED, estimator.segment(600_000, 2_500_000_000L));
        DeliveryEstimator other = new DeliveryEstimator(REQUIRED, 1);
        assertEquals(Change.NONE, other.segment(8_000, 100_000_000L));
        assertFalse(other.flagged());
    }

    @Test
    void flagWindowsAreBounded() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new DeliveryEstimator(REQUIRED, 0));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new DeliveryEstimator(REQUIRED, 32));
    }
}
