package fluxrelay.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The choice among a room's program and renditions by a measured figure, and how a rendition's need is made. */
class BandwidthLadderTest {

    private static final BandwidthRequirement PROGRAM = BandwidthRequirement.ofMbps(3, BandwidthPolicy.ENFORCE);
    private static final BandwidthLadder LADDER = new BandwidthLadder(PROGRAM, List.of(
            new RenditionNeed("240p", 500_000), new RenditionNeed("720p", 2_000_000), new RenditionNeed("480p", 1_000_000)));

    @Test
    void renditionsAreKeptHighestNeedFirst() {
        assertEquals(List.of("720p", "480p", "240p"), LADDER.renditions().stream().map(RenditionNeed::id).toList());
        assertEquals(Optional.of(new RenditionNeed("240p", 500_000)), LADDER.lowest());
        assertEquals(Optional.empty(), new BandwidthLadder(PROGRAM, List.of()).lowest());
    }

    @Test
    void theBestRenditionIsTheHighestTheFigureCarries() {
        assertEquals("720p", LADDER.best(2_500_000).orElseThrow().id());
        assertEquals("720p", LADDER.best(2_000_000).orElseThrow().id(), "a need met exactly is carried");
        assertEquals("480p", LADDER.best(1_999_999).orElseThrow().id());
        assertEquals("240p", LADDER.best(600_000).orElseThrow().id());
        assertEquals(Optional.empty(), LADDER.best(499_999));
    }

    @Test
    void fittingListsWhatTheFigureCarriesOrTheLowestAlone() {
        assertEquals(List.of("480p", "240p"), LADDER.fitting(1_500_000).stream().map(RenditionNeed::id).toList());
        assertEquals(List.of("240p"), LADDER.fitting(100_000).stream().map(RenditionNeed::id).toList());
        assertTrue(new BandwidthLadder(PROGRAM, List.of()).fitting(100_000).isEmpty());
        assertTrue(new BandwidthLadder(PROGRAM, List.of()).programOnly());
    }

    @Test
    void aRenditionNeedsItsIngestRateWithHeadroomNeverMoreThanTheProgram() {
        assertEquals(1_000_000, RenditionNeed.of(800_000, 1.25, 3_000_000));
        assertEquals(3_000_000, RenditionNeed.of(2_800_000, 1.25, 3_000_000), "capped at the room's requirement");
        assertEquals(1, RenditionNeed.of(0, 1.25, 3_000_000));
        assertThrows(IllegalArgumentException.class, () -> new RenditionNeed("240p", 0));
    }

    @Test
    void aBurstyRateGivesASteadyNeed() {
        // A 1.4 Mbit/s rendition with a keyframe every 2 s, as an encoder sends it: 2.4 Mbit/s in the second holding a
        // keyframe, 0.4 in the other. The last second alone gave a need of 3.0 (capped) or 0.5 Mbit/s turn by turn.
        List<Double> series = new java.util.ArrayList<>();
        for (int second = 0; second < 10; second++) {
            series.add(second % 2 == 0 ? 2400.0 : 400.0);
        }
        assertEquals(1_400_000, RenditionNeed.steadyBitsPerSecond(series), 1e-6);
        for (int shift = 1; shift < 10; shift++) {
            // Whichever second the window starts on, the figure stays the same: a viewer's choice does not flip.
            List<Double> window = new java.util.ArrayList<>(series.subList(shift, 10));
            window.addAll(series.subList(0, shift));
            assertEquals(1_750_000, RenditionNeed.of(RenditionNeed.steadyBitsPerSecond(window), 1.25, 3_000_000), "shift " + shift);
        }
        assertEquals(3_000_000, RenditionNeed.of(2400 * 1000, 1.25, 3_000_000), "the last second alone jumps to the cap");
        assertEquals(500_000, RenditionNeed.of(400 * 1000, 1.25, 3_000_000), "and to a fraction of the average");
        // With a 3 s GOP the ten seconds hold three or four keyframes: the figure moves by a keyframe's share only.
        List<Double> threeSecond = new java.util.ArrayList<>();
        for (int second = 0; second < 10; second++) {
            threeSecond.add(second % 3 == 0 ? 3000.0 : 600.0);
        }
        assertEquals(1_560_000, RenditionNeed.steadyBitsPerSecond(threeSecond), 1e-6);
        assertEquals(0, RenditionNeed.steadyBitsPerSecond(List.of()), "nothing measured yet");
        assertEquals(800_000, RenditionNeed.steadyBitsPerSecond(List.of(800.0)), "one second measured: that second");
    }

    @Test
    void theHeadroomIsAtLeastOne() {
        BandwidthSettings defaults = BandwidthSettings.disabled();
        assertEquals(BandwidthSettings.DEFAULT_RENDITION_HEADROOM, defaults.renditionHeadroom());
        assertThrows(IllegalArgumentException.class, () -> new BandwidthSettings(defaults.defaults(), false, defaults.probe(),
                defaults.monitor(), defaults.tokenTtl(), defaults.tokenParameter(), 20, 0.9));
    }
}
