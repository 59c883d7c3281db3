package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.media.codec.Adts;
import fluxrelay.media.codec.AudioSpecificConfig;
import fluxrelay.media.codec.CodecFormatException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * {@link AudioSpecificConfig} (ISO/IEC 14496-3 1.6.2.1, the AAC sequence header) on arbitrary bytes,
 * from an array and from inside a larger buffer ({@link CodecInput}): both agree; only
 * {@link CodecFormatException} may come out; a parsed config has a positive sample rate; and an ADTS
 * header for it (what HLS needs) is either written whole or refused with a {@code CodecFormatException}.
 * Seeds: the AAC sequence headers of the sample clips.
 */
class AudioSpecificConfigFuzzTest {

    @FuzzTest
    void parseAudioSpecificConfig(byte[] input) {
        AudioSpecificConfig asc;
        try {
            asc = AudioSpecificConfig.parse(input.clone());
        } catch (CodecFormatException e) {
            return;
        }
        AudioSpecificConfig inBuffer = AudioSpecificConfig.parse(CodecInput.guarded(input), CodecInput.OFFSET, input.length);
        assertEquals(fields(asc), fields(inBuffer), "parsed from an array and from a buffer");
        assertArrayEquals(input, inBuffer.raw());
        assertTrue(asc.sampleRate() > 0, asc.toString());
        ByteBuf out = Unpooled.buffer();
        try {
            Adts.writeHeader(out, asc, 100);
            assertEquals(Adts.HEADER_LENGTH, out.readableBytes(), "ADTS header length");
        } catch (CodecFormatException e) {
            assertEquals(0, out.readableBytes(), "a refused ADTS header writes nothing");
        }
    }

    private static List<Integer> fields(AudioSpecificConfig asc) {
        return List.of(asc.objectType(), asc.sampleRateIndex(), asc.sampleRate(), asc.channelConfig(),
                asc.coreObjectType(), asc.extensionSampleRate());
    }
}
