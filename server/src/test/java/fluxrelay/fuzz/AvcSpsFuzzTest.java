package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.media.codec.AvcSps;
import fluxrelay.media.codec.CodecFormatException;

/**
 * {@link AvcSps} (ITU-T H.264 7.3.2.1.1, E.1.1) on arbitrary NAL units: emulation prevention,
 * Exp-Golomb codes, scaling lists, cropping and VUI timing. Only {@link CodecFormatException} may come
 * out; a parsed SPS has a positive picture size. Seeds: the SPS of each H.264 sample clip.
 */
class AvcSpsFuzzTest {

    @FuzzTest
    void parseAvcSps(byte[] input) {
        AvcSps sps;
        try {
            sps = AvcSps.parse(input);
        } catch (CodecFormatException e) {
            return;
        }
        assertTrue(sps.width() > 0 && sps.height() > 0, sps.toString());
    }
}
