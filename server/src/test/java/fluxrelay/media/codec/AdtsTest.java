package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ADTS headers, ISO/IEC 14496-3 1.A.2.2.1. The first row was checked once by hand: the raw frames
 * of audio-only.flv, each behind the header this class writes, saved as a .aac file that ffprobe
 * 5.1 reads as "aac (LC), 48000 Hz, stereo" with 141 packets, the same count as the FLV.
 */
class AdtsTest {

    @ParameterizedTest
    @CsvSource({
        // ASC,          raw length, header
        // FFF sync, MPEG-4, no CRC | LC(1) 48k(3) ch 2 | length 307 = 0x133 | fullness 7FF, 1 block
        "11 90,          300,        ff f1 4c 80 26 7f fc",
        // LC 44.1 kHz mono, length 7 + 0
        "12 08,          0,          ff f1 50 40 00 ff fc",
        // HE-AAC (explicit SBR, core LC 24 kHz stereo): ADTS carries the core LC and 24 kHz
        "2b 11 88,       1000,       ff f1 58 80 7d ff fc",
        // explicit 48000 Hz (index 15) is written with its table index 3
        "17 80 5d c0 10, 8184,       ff f1 4c 83 ff ff fc",
    })
    void writesHeader(String asc, int rawLength, String header) {
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            Adts.writeHeader(out, AudioSpecificConfig.parse(Hex.bytes(asc)), rawLength);
            assertEquals(Hex.of(Hex.bytes(header)), Hex.of(out));
        } finally {
            out.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "11 90,          8185,  exceeds 8191",            // 7 + 8185 = 8192
        "2b 11 94,       10,    object type 5",           // SBR whose core object type is SBR again
        "17 80 01 f4 10, 10,    sampling frequency 1000", // explicit 1000 Hz is not in the table
        "12 40,          10,    channel configuration 8", // 44.1k LC, config 8 (reserved)
    })
    void rejectsWhatAdtsCannotCarry(String asc, int rawLength, String message) {
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            CodecFormatException e = assertThrows(CodecFormatException.class,
                    () -> Adts.writeHeader(out, AudioSpecificConfig.parse(Hex.bytes(asc)), rawLength));
            assertTrue(e.getMessage().contains(message), e.getMessage());
            assertEquals(0, out.readableBytes());
        } finally {
            out.release();
        }
    }
}
