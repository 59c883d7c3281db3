package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.HevcSps;

/**
 * {@link HevcSps} (ITU-T H.265 7.3.2.2, with profile_tier_level 7.3.3, short-term reference picture
 * sets 7.3.7 and VUI E.2.1) on arbitrary NAL units. Only {@link CodecFormatException} may come out; a
 * parsed SPS has a positive picture size. Seed: the SPS of the HEVC sample clip (ffmpeg 7.1.1).
 */
class HevcSpsFuzzTest {

    @FuzzTest
    void parseHevcSps(byte[] input) {
        HevcSps sps;
        try {
            sps = HevcSps.parse(input);
        } catch (CodecFormatException e) {
            return;
        }
        assertTrue(sps.width() > 0 && sps.height() > 0, sps.toString());
    }
}
