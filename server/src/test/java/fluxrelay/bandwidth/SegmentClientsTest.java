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
    void roomsWithPolicyOffAreNotWatched() {
        assertNull(clients.delivered("lobby", "anyone", 10_000, 1_000_000_000L));
        assertEquals(0, clients.size());
    }
}
