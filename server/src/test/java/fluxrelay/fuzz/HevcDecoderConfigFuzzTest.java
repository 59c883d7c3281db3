package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.media.codec.CodecFormatException;
import fluxrelay.media.codec.HevcDecoderConfig;
import io.netty.buffer.ByteBuf;

/**
 * {@link HevcDecoderConfig} (ISO/IEC 14496-15 8.3.3.1, the HEVC sequence start of Enhanced RTMP) on
 * arbitrary records placed inside a larger buffer ({@link CodecInput}), then its first SPS. Only
 * {@link CodecFormatException} may come out, buffer indexes do not move, and a parsed record has an
 * SPS. Seed: the sequence start of the HEVC sample clip (ffmpeg 7.1.1).
 */
class HevcDecoderConfigFuzzTest {

    @FuzzTest
    void parseHevcDecoderConfig(byte[] input) {
        ByteBuf buf = CodecInput.guarded(input);
        HevcDecoderConfig config;
        try {
            config = HevcDecoderConfig.parse(buf, CodecInput.OFFSET, input.length);
        } catch (CodecFormatException e) {
            return;
        } finally {
            assertEquals(2, buf.readerIndex(), "reader index");
        }
        assertFalse(config.sps().isEmpty(), "no SPS");
        try {
            config.firstSps();
        } catch (CodecFormatException e) {
            // a well-formed record may carry a broken SPS
        }
    }
}
