package fluxrelay.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** HLS clients judged by their segment responses, each client on its own. */
class SegmentClientsTest {

    private final BandwidthRegistry registry = new BandwidthRegistry(
            new BandwidthSettings(BandwidthRequirement.ofMbps(3, BandwidthPolicy.WARN), false,
                    new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 4),
                    new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(3), 0),
                    Duration.ofMinutes(2), "bwtoken", 20),
            Map.of("lobby", BandwidthRequirement.ofMbps(3, BandwidthPolicy.OFF)), ProbeTokens.randomSecret(), Clock.systemUTC());
    private final SegmentClients clients = new SegmentClients(registry, 30);

    @Test
    void aClientWhoseSegmentsArriveSlowlyIsFlaggedAndAFastOneIsNot() {
        BandwidthVerdict flagged = null;
        for (int i = 0; i < 3; i++) {
            // 2 s segments of a 2.5 Mbit/s stream: 625 KB, taking 2.6 s on a 1.9 Mbit/s link and 0.5 s on 10 Mbit/s.
            BandwidthVerdict v = clients.delivered("demo", "slow", 625_000, 2_630_000_000L);
            flagged = flagged == null ? v : flagged;
            assertNull(clients.delivered("demo", "fast", 625_000, 500_000_000L));
        }
        assertEquals("measured 1.9 Mbit/s, required 3.0 Mbit/s", flagged.figures());
        assertEquals(MeasurementMethod.SEGMENT_DELIVERY, flagged.measurement().method());
        assertTrue(clients.flagged("demo", "slow"));
        assertFalse(clients.flagged("demo", "fast"));
        BandwidthSnapshot snapshot = registry.snapshot("demo").orElseThrow();
        assertEquals(1, snapshot.viewersBelow());
        assertEquals(1, snapshot.viewersOk());
        assertEquals(2, clients.size());
    }

    @Test
    void aRenditionsSegmentsAreJudgedAgainstItsNeed() {
        BandwidthRequirement need = new BandwidthRequirement(1_000_000, BandwidthPolicy.WARN);
        for (int i = 0; i < 6; i++) {
            // 2 s segments of a 0.8 Mbit/s rendition: 200 KB at 1.9 Mbit/s, below the room's 3 but above the rendition's 1.
            assertNull(clients.delivered("demo", "moved", 200_000, 842_000_000L, need));
        }
        assertFalse(clients.flagged("demo", "moved"), "keeping up with its rendition");
        assertEquals(1, registry.snapshot("demo").orElseThrow().viewersOk());
        BandwidthVerdict flagged = null;
        for (int i = 0; i < 3 && flagged == null; i++) {
            // The same client back on the program on that link: judged against the room's requirement again.
            flagged = clients.delivered("demo", "moved", 625_000, 2_630_000_000L);
        }
        assertEquals("measured 1.9 Mbit/s, required 3.0 Mbit/s", flagged.figures());
        BandwidthVerdict belowNeed = null;
        for (int i = 0; i < 3 && belowNeed == null; i++) {
            // 200 KB taking 2.3 s: 0.7 Mbit/s, below the rendition's own need.
            belowNeed = clients.delivered("demo", "slower", 200_000, 2_290_000_000L, need);
        }
        assertEquals("measured 0.7 Mbit/s, required 1.0 Mbit/s", belowNeed.figures());
    }

    @Test
    void roomsWithPolicyOffAreNotWatched() {
        assertNull(clients.delivered("lobby", "anyone", 10_000, 1_000_000_000L));
        assertEquals(0, clients.size());
    }
}
