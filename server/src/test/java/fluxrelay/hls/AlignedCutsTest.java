package fluxrelay.hls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A rendition cuts where the program cut, follows its own rule ahead of the program, and is cut late when nothing lines up. */
class AlignedCutsTest {

    private static final long TARGET = 2000;

    @Test
    void aRenditionCutsAtTheProgramsCutTimesOnly() {
        AlignedCuts cuts = new AlignedCuts();
        cuts.cut(0);
        cuts.seen(0);
        cuts.seen(2000);
        cuts.cut(4000);
        cuts.seen(4000);
        // The program went past 2000 without cutting there: the rendition does not cut either, whatever its own rule says.
        assertFalse(cuts.cutHere(2000, 2000, true, TARGET));
        assertTrue(cuts.cutHere(4000, 4000, false, TARGET));
        assertTrue(cuts.cutHere(4012, 4012, false, TARGET), "a few ms off is the same picture time");
    }

    @Test
    void aheadOfTheProgramTheRenditionsOwnRuleDecides() {
        AlignedCuts cuts = new AlignedCuts();
        cuts.cut(0);
        cuts.seen(1000);
        assertTrue(cuts.cutHere(2000, 2000, true, TARGET));
        assertFalse(cuts.cutHere(1500, 1500, false, TARGET));
    }

    @Test
    void unalignedKeyframesAreCutAtOneAndAHalfTargets() {
        AlignedCuts cuts = new AlignedCuts();
        cuts.cut(0);
        cuts.cut(2000);
        cuts.seen(5000);
        assertFalse(cuts.cutHere(2100, 2100, true, TARGET));
        assertTrue(cuts.cutHere(3010, 3010, false, TARGET));
    }

    @Test
    void aNewPublishForgetsTheEarlierCuts() {
        AlignedCuts cuts = new AlignedCuts();
        cuts.cut(4000);
        cuts.seen(4000);
        cuts.reset();
        assertFalse(cuts.cutHere(4000, 1000, false, TARGET));
    }
}
