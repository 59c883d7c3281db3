package fluxrelay.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requirements per room, probe sizing, viewer watches and the room picture they add up to. */
class BandwidthRegistryTest {

    private static BandwidthSettings settings(BandwidthPolicy policy) {
        return new BandwidthSettings(BandwidthRequirement.ofMbps(3, policy), false,
                new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 2),
                new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(5), 128 * 1024),
                Duration.ofMinutes(2), "bwtoken", 3);
    }

    private final BandwidthRegistry registry = new BandwidthRegistry(settings(BandwidthPolicy.WARN),
            Map.of("keynote", BandwidthRequirement.ofMbps(6, BandwidthPolicy.ENFORCE),
                    "lobby", BandwidthRequirement.ofMbps(3, BandwidthPolicy.OFF)),
            ProbeTokens.randomSecret(), Clock.systemUTC());

    @Test
    void roomsHaveTheirOwnRequirementOrTheDefault() {
        assertEquals(6_000_000, registry.requirement("keynote").bitsPerSecond());
        assertEquals(BandwidthPolicy.ENFORCE, registry.requirement("keynote").policy());
        assertEquals(BandwidthRequirement.ofMbps(3, BandwidthPolicy.WARN), registry.requirement("other"));
        registry.configure("other", BandwidthRequirement.ofMbps(1.5, BandwidthPolicy.ENFORCE));
        assertEquals(1_500_000, registry.requirement("other").bitsPerSecond());
        registry.configure("other", null);
        assertEquals(3_000_000, registry.requirement("other").bitsPerSecond());
    }

    @Test
    void probesCarryTheRequiredRateForTheDurationWithinBounds() {
        BandwidthSettings.Probe probe = registry.settings().probe();
        assertEquals(750_000, probe.bytesFor(BandwidthRequirement.ofMbps(3, BandwidthPolicy.WARN)));
        assertEquals(256 * 1024, probe.bytesFor(BandwidthRequirement.ofMbps(0.5, BandwidthPolicy.WARN)));
        assertEquals(4 << 20, probe.bytesFor(BandwidthRequirement.ofMbps(100, BandwidthPolicy.WARN)));
        assertEquals(5, registry.settings().monitor().flagWindows());
    }

    @Test
    void probeSlotsAreLimited() {
        assertTrue(registry.tryStartProbe());
        assertTrue(registry.tryStartProbe());
        assertFalse(registry.tryStartProbe());
        registry.probeDone();
        assertTrue(registry.tryStartProbe());
    }

    @Test
    void viewerWatchesAddUpInTheRoomSnapshot() {
        assertNull(registry.watch("lobby", "/192.0.2.1:1"), "policy off: not monitored");
        ViewerBandwidth slow = registry.watch("keynote", "/192.0.2.2:2");
        ViewerBandwidth fast = registry.watch("keynote", "/192.0.2.3:3");
        BandwidthSnapshot joined = registry.snapshot("keynote").orElseThrow();
        assertEquals(2, joined.viewersMeasuring());
        fast.window(10_000_000, 1_000_000_000L, true, -1);
        fast.window(10_000_000, 1_000_000_000L, false, -1);
        BandwidthVerdict flagged = null;
        slow.window(0, 1_000_000_000L, false, -1);
        for (int i = 0; i < 5 && flagged == null; i++) {
            flagged = slow.window(500_000, 1_000_000_000L, true, 40_000);
        }
        assertEquals(VerdictSource.PLAYBACK, flagged.source());
        assertEquals(4_000_000, flagged.measurement().bitsPerSecond());
        assertEquals("measured 4.0 Mbit/s, required 6.0 Mbit/s", flagged.figures());
        BandwidthSnapshot now = registry.snapshot("keynote").orElseThrow();
        assertEquals(0, now.viewersMeasuring());
        assertEquals(1, now.viewersOk());
        assertEquals(1, now.viewersBelow());
        assertEquals(1, now.flaggedTotal());
        assertEquals(flagged, now.flagged().get(0));
        slow.close();
        slow.close();
        BandwidthSnapshot after = registry.snapshot("keynote").orElseThrow();
        assertEquals(0, after.viewersBelow());
        assertTrue(after.flagged().isEmpty());
        assertEquals(1, after.flaggedTotal());
    }

    @Test
    void aRenditionViewerIsJudgedAgainstTheRenditionsNeedOnceKnown() {
        assertNull(registry.watchRendition("lobby", "/192.0.2.1:1", () -> 1_000_000), "policy off: not monitored");
        long[] need = {0};
        ViewerBandwidth moved = registry.watchRendition("keynote", "/192.0.2.4:4", () -> need[0]);
        assertNull(moved.requirement(), "the rendition is not live yet: its need is unknown");
        // Backlogged at 2 Mbit/s while the need is unknown: nothing is judged, the viewer stays measuring.
        for (int i = 0; i < 8; i++) {
            assertNull(moved.window(250_000, 1_000_000_000L, true, -1));
        }
        assertFalse(moved.flagged());
        assertEquals(1, registry.snapshot("keynote").orElseThrow().viewersMeasuring());
        need[0] = 1_500_000;
        // Keeping up with a 1.5 Mbit/s rendition at 2 Mbit/s: never flagged, though far below the room's 6 Mbit/s.
        for (int i = 0; i < 12; i++) {
            assertNull(moved.window(250_000, 1_000_000_000L, true, -1));
        }
        assertEquals(new BandwidthRequirement(1_500_000, BandwidthPolicy.ENFORCE), moved.requirement());
        need[0] = 9_000_000;
        assertEquals(1_500_000, moved.requirement().bitsPerSecond(), "the need is kept once known");
        assertEquals(1, registry.snapshot("keynote").orElseThrow().viewersOk());
        // Below the rendition's own need: flagged with the figures against it.
        ViewerBandwidth slow = registry.watchRendition("keynote", "/192.0.2.5:5", () -> 1_500_000);
        BandwidthVerdict flagged = null;
        slow.window(0, 1_000_000_000L, false, -1);
        for (int i = 0; i < 5 && flagged == null; i++) {
            flagged = slow.window(125_000, 1_000_000_000L, true, -1);
        }
        assertEquals("measured 1.0 Mbit/s, required 1.5 Mbit/s", flagged.figures());
        moved.close();
        slow.close();
    }

    @Test
    void recentVerdictsAreBoundedAndCounted() {
        RoomBandwidth room = registry.room("keynote");
        BandwidthRequirement requirement = registry.requirement("keynote");
        for (int i = 0; i < 5; i++) {
            room.record(BandwidthVerdict.judge(java.time.Instant.now(), "keynote", "v" + i, VerdictSource.HTTP_PROBE,
                    new Measurement(7_000_000, 750_000, 857_000_000L, 100, MeasurementMethod.TCP_ACKS, true), requirement));
        }
        BandwidthSnapshot snapshot = room.snapshot();
        assertEquals(3, snapshot.recent().size());
        assertEquals("v4", snapshot.recent().get(2).viewer());
        assertEquals(5, snapshot.probes());
        assertTrue(snapshot.recent().get(0).ok());
    }

    @Test
    void verdictsAreCountedBySourceAndOutcomeBeyondTheRecentOnes() {
        RoomBandwidth room = registry.room("keynote");
        BandwidthRequirement requirement = registry.requirement("keynote");
        for (long bps : new long[] {7_000_000, 1_000_000, 1_500_000, 2_000_000}) {
            room.record(BandwidthVerdict.judge(java.time.Instant.now(), "keynote", "v", VerdictSource.TOKEN,
                    new Measurement(bps, 0, 0, -1, MeasurementMethod.TCP_ACKS, true), requirement));
        }
        java.util.List<BandwidthSnapshot.VerdictCount> counts = room.snapshot().verdicts();
        assertEquals(VerdictSource.values().length * 2, counts.size(), "every pair, zeros included");
        assertTrue(counts.contains(new BandwidthSnapshot.VerdictCount(VerdictSource.TOKEN, false, 3)), counts.toString());
        assertTrue(counts.contains(new BandwidthSnapshot.VerdictCount(VerdictSource.TOKEN, true, 1)), counts.toString());
        assertTrue(counts.contains(new BandwidthSnapshot.VerdictCount(VerdictSource.HTTP_PROBE, true, 0)), counts.toString());
    }

    @Test
    void anIncompleteMeasurementNeverPasses() {
        BandwidthVerdict verdict = BandwidthVerdict.judge(java.time.Instant.now(), "keynote", "v", VerdictSource.HTTP_PROBE,
                new Measurement(9_000_000, 100_000, 1, -1, MeasurementMethod.TCP_ACKS, false),
                BandwidthRequirement.ofMbps(3, BandwidthPolicy.ENFORCE));
        assertFalse(verdict.ok());
        assertEquals(BandwidthPolicy.ENFORCE, BandwidthPolicy.parse(" Enforce "));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> BandwidthPolicy.parse("strict"));
    }
}
