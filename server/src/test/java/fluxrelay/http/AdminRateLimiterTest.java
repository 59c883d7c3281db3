package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admin budget is what the documentation says: N a minute, all N at once, then refilled at N/60 a second. */
class AdminRateLimiterTest {

    private static final InetSocketAddress SCRIPT = new InetSocketAddress("192.0.2.7", 50_000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("192.0.2.8", 50_000);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void aClientMaySpendAWholeMinutesBudgetAtOnceThenGetsTenASecond() {
        AdminRateLimiter limiter = new AdminRateLimiter(600, 600, nanos::get);
        for (int i = 0; i < 600; i++) {
            assertTrue(limiter.tryAcquire(SCRIPT), "request " + (i + 1) + " of 600 is within the documented budget");
        }
        assertFalse(limiter.tryAcquire(SCRIPT), "the 601st at once is over it");
        assertEquals(1, limiter.waitSeconds(SCRIPT), "Retry-After: one second");
        assertTrue(limiter.tryAcquire(OTHER), "another address has its own budget");

        nanos.addAndGet(1_000_000_000L);
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.tryAcquire(SCRIPT), "ten more after a second");
        }
        assertFalse(limiter.tryAcquire(SCRIPT));
        nanos.addAndGet(60_000_000_000L);
        assertEquals(0, limiter.waitSeconds(SCRIPT));
    }

    @Test
    void thePublicConstructorGivesTheWholeMinuteAsBurst() {
        AdminRateLimiter limiter = new AdminRateLimiter(120);
        int granted = 0;
        while (granted < 1000 && limiter.tryAcquire(SCRIPT)) {
            granted++;
        }
        // 120 at once, plus at most what two a second refill while the loop runs.
        assertTrue(granted >= 120 && granted < 130, "granted " + granted);
    }
}
