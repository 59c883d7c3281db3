package fluxrelay.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The restart backoff: doubles per quick failure up to its cap, starts again after a healthy run or a new publish. */
class BackoffTest {

    private static final Duration QUICK = Duration.ofMillis(300);

    @Test
    void quickFailuresDoubleTheWaitUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(1), backoff.afterRun(QUICK));
        assertEquals(Duration.ofSeconds(2), backoff.afterRun(QUICK));
        assertEquals(Duration.ofSeconds(4), backoff.afterRun(QUICK));
        assertEquals(Duration.ofSeconds(8), backoff.afterRun(QUICK));
        assertEquals(Duration.ofSeconds(10), backoff.afterRun(QUICK));
        assertEquals(Duration.ofSeconds(10), backoff.afterRun(QUICK));
    }

    @Test
    void aRunLongerThanTheCapStartsTheSeriesAgain() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        backoff.afterRun(QUICK);
        backoff.afterRun(QUICK);
        assertEquals(Duration.ofSeconds(4), backoff.afterRun(Duration.ofSeconds(10)), "a run of exactly the cap is not healthy");
        assertEquals(Duration.ofSeconds(1), backoff.afterRun(Duration.ofSeconds(11)));
        assertEquals(Duration.ofSeconds(2), backoff.afterRun(QUICK));
    }

    @Test
    void aResetStartsTheSeriesAgain() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(60));
        backoff.afterRun(QUICK);
        backoff.afterRun(QUICK);
        backoff.reset();
        assertEquals(Duration.ofMillis(500), backoff.afterRun(QUICK));
    }

    @Test
    void boundsOutOfOrderAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofSeconds(5), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
    }
}
