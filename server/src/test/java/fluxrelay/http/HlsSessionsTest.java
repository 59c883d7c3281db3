package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A client counts as playing while it keeps asking within the idle time; the table stays bounded. */
class HlsSessionsTest {

    private final AtomicLong nanos = new AtomicLong();
    private final HlsSessions sessions = new HlsSessions(Duration.ofSeconds(30), nanos::get);

    @Test
    void aClientPlaysWhileItKeepsAsking() {
        assertFalse(sessions.playing("a"), "never seen");
        sessions.seen("a");
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertTrue(sessions.playing("a"));
        assertFalse(sessions.playing("b"));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertFalse(sessions.playing("a"), "idle for the whole idle time: a new player now");
    }

    @Test
    void staleClientsAreForgottenWhenTheTableIsFull() {
        sessions.seen("old");
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        for (int i = 0; i < HlsSessions.MAX_TRACKED; i++) {
            sessions.seen("client-" + i);
        }
        assertTrue(sessions.playing("client-0"));
        assertFalse(sessions.playing("old"));
    }
}
