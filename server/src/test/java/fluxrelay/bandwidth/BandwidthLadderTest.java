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
    void theHeadroomIsAtLeastOne() {
        BandwidthSettings defaults = BandwidthSettings.disabled();
        assertEquals(BandwidthSettings.DEFAULT_RENDITION_HEADROOM, defaults.renditionHeadroom());
        assertThrows(IllegalArgumentException.class, () -> new BandwidthSettings(defaults.defaults(), false, defaults.probe(),
                defaults.monitor(), defaults.tokenTtl(), defaults.tokenParameter(), 20, 0.9));
    }
}
