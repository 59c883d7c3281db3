package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.media.codec.AvcDecoderConfig;
import fluxrelay.media.codec.CodecFormatException;
import io.netty.buffer.ByteBuf;

/**
 * {@link AvcDecoderConfig} (ISO/IEC 14496-15 5.3.3.1, the AVC sequence header of FLV and RTMP) on
 * arbitrary records placed inside a larger buffer ({@link CodecInput}), then its first SPS. Only
 * {@link CodecFormatException} may come out, buffer indexes do not move, and a parsed record has an
 * SPS and a NAL length size of 1, 2 or 4. Seeds: the sequence headers of the H.264 sample clips.
 */
class AvcDecoderConfigFuzzTest {

    @FuzzTest
    void parseAvcDecoderConfig(byte[] input) {
        ByteBuf buf = CodecInput.guarded(input);
        AvcDecoderConfig config;
        try {
            config = AvcDecoderConfig.parse(buf, CodecInput.OFFSET, input.length);
        } catch (CodecFormatException e) {
            return;
        } finally {
            assertEquals(2, buf.readerIndex(), "reader index");
        }
        assertFalse(config.sps().isEmpty(), "no SPS");
        int size = config.nalUnitLengthSize();
        assertEquals(true, size == 1 || size == 2 || size == 4, "NAL length size " + size);
        try {
            config.firstSps();
        } catch (CodecFormatException e) {
            // a well-formed record may carry a broken SPS
        }
    }
}
