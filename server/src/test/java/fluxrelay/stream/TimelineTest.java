package fluxrelay.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void theFirstPublisherKeepsItsTimestamps() {
        Timeline timeline = new Timeline();
        assertEquals(1000, timeline.map(1000, 0));
        assertEquals(1033, timeline.map(1033, 0));
    }

    @Test
    void aNewPublisherContinuesAfterTheWallClockGap() {
        Timeline timeline = new Timeline();
        timeline.map(5000, 0);
        timeline.newPublisher();
        long resumed = timeline.map(0, TimeUnit.SECONDS.toNanos(3));
        assertEquals(8000, resumed);
        assertEquals(8033, timeline.map(33, TimeUnit.SECONDS.toNanos(3)));
    }

    @Test
    void timestampsNeverGoBackwards() {
        Timeline timeline = new Timeline();
        timeline.map(100, 0);
        assertEquals(100, timeline.map(90, 0));
        assertEquals(120, timeline.map(120, 0));
    }

    @Test
    void aWrapPast32BitsIsUnwrapped() {
        Timeline timeline = new Timeline();
        long before = timeline.map(0xFFFFFF00L, 0);
        long after = timeline.map(0x10, 0);
        assertEquals(0x100000010L, after);
        assertTrue(after > before);
    }
}
