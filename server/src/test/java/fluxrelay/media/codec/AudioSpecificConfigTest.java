package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioSpecificConfigTest {

    /** ISO/IEC 14496-3 1.6.2.1, written bit by bit. */
    @ParameterizedTest
    @CsvSource({
        // bits (type | index | [rate] | channels | [ext index | core type]),        type, index, rate,  ch, core, ext rate, codecs
        // the AAC sequence header of every sample file: LC, 48 kHz, stereo (bytes 11 90)
        "00010 0011 0010 000,                                                      2,  3,  48000, 2, 2, 0,     mp4a.40.2",
        "00010 0100 0001 000,                                                      2,  4,  44100, 1, 2, 0,     mp4a.40.2",
        // explicit SBR: HE-AAC, core 24 kHz LC, SBR at 48 kHz
        "00101 0110 0010 0011 00010,                                               5,  6,  24000, 2, 2, 48000, mp4a.40.5",
        // explicit PS: HE-AAC v2, mono core, SBR at 44.1 kHz
        "11101 0111 0001 0100 00010,                                               29, 7,  22050, 1, 2, 44100, mp4a.40.29",
        // escape: object type 32 + 10 = 42 (USAC), explicit 24-bit rate 44100
        "11111 001010 1111 000000001010110001000100 0010,                          42, 15, 44100, 2, 42, 0,    mp4a.40.42",
        // 7.1 channel configuration, 96 kHz
        "00010 0000 0111 000,                                                      2,  0,  96000, 7, 2, 0,     mp4a.40.2",
    })
    void parses(String bits, int type, int index, int rate, int channelConfig, int core, int extRate, String codecs) {
        byte[] raw = BitReaderTest.pad(bits.replace(" ", ""));
        AudioSpecificConfig asc = AudioSpecificConfig.parse(raw);
        assertEquals(type, asc.objectType());
        assertEquals(index, asc.sampleRateIndex());
        assertEquals(rate, asc.sampleRate());
        assertEquals(channelConfig, asc.channelConfig());
        assertEquals(core, asc.coreObjectType());
        assertEquals(extRate, asc.extensionSampleRate());
        assertEquals(codecs, asc.codecString());
        assertEquals(Hex.of(raw), Hex.of(asc.raw()));
    }

    @Test
    void readsAWindowWithoutMovingIndexes() {
        ByteBuf buf = Hex.buf("af 00 11 90 56 e5 00"); // the audio-only.flv sequence header tag, with its GA tail
        try {
            AudioSpecificConfig asc = AudioSpecificConfig.parse(buf, 2, 5);
            assertEquals("LC", asc.objectTypeName());
            assertEquals(48000, asc.sampleRate());
            assertEquals(2, asc.channelCount());
            assertEquals("119056e500", Hex.of(asc.raw()));
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "00010 1101 0010 000,               reserved samplingFrequencyIndex 13",
        "00000 0011 0010 000,               audio object type 0",
        "00010 1111 000000000000000000000000 0010, explicit sampling frequency 0",
        "00010 111,                         too short",
        "00010 1111 0000000010101100,       bitstream ends early",
        "00101 0110 0010 001,               bitstream ends early", // SBR cut in its extension rate
    })
    void rejectsMalformed(String bits, String message) {
        byte[] raw = BitReaderTest.pad(bits.replace(" ", ""));
        CodecFormatException e = assertThrows(CodecFormatException.class, () -> AudioSpecificConfig.parse(raw));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
