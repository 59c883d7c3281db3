package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BitReaderTest {

    @Test
    void readsBitsMostSignificantFirst() {
        BitReader in = new BitReader(Hex.bytes("a5 0f f0 12 34 56 78 9a"));
        assertEquals(1, in.readBit());                 // 1010 0101: first bit
        assertEquals(0b010, in.readBits(3));
        assertEquals(0b0101, in.readBits(4));
        assertEquals(0x0f, in.readBits(8));
        assertEquals(0xf0_1234_5678L, in.readBitsLong(40));
        assertEquals(0x9a, in.readBits(8));
        assertEquals(0, in.bitsLeft());
    }

    @Test
    void honoursOffsetAndLength() {
        BitReader in = new BitReader(Hex.bytes("ff 81 ff"), 1, 1);
        assertEquals(0x81, in.readBits(8));
        assertThrows(CodecFormatException.class, in::readBit);
    }

    /** ue(v) per H.264 9.1 Table 9-2 and se(v) per Table 9-3. */
    @ParameterizedTest
    @CsvSource({
        // bit string, ue, se
        "1,             0,  0",
        "010,           1,  1",
        "011,           2, -1",
        "00100,         3,  2",
        "00101,         4, -2",
        "00110,         5,  3",
        "00111,         6, -3",
        "0001000,       7,  4",
        "000011111,    30, -15",
        "000000010000000, 127, 64",
    })
    void decodesExpGolomb(String bits, int ue, int se) {
        assertEquals(ue, new BitReader(pad(bits)).readUe());
        assertEquals(se, new BitReader(pad(bits)).readSe());
    }

    @Test
    void decodesLargestIntUe() {
        String bits = "0".repeat(30) + "1" + "1".repeat(30); // 2^30 - 1 + (2^30 - 1) = 2^31 - 2
        assertEquals((1 << 30) - 1 + (1 << 30) - 1, new BitReader(pad(bits)).readUe());
    }

    @Test
    void rejectsUeBeyondInt() {
        String bits = "0".repeat(31) + "1" + "0".repeat(31); // 2^31 - 1 + 0 = 2^31 - 1: fits
        assertEquals(Integer.MAX_VALUE, new BitReader(pad(bits)).readUe());
        String tooBig = "0".repeat(31) + "1" + "0".repeat(30) + "1"; // 2^31
        assertThrows(CodecFormatException.class, () -> new BitReader(pad(tooBig)).readUe());
        String tooLong = "0".repeat(33) + "1";
        assertThrows(CodecFormatException.class, () -> new BitReader(pad(tooLong + "0".repeat(40))).readUe());
    }

    @Test
    void rejectsReadsPastTheEnd() {
        BitReader in = new BitReader(Hex.bytes("00"));
        assertThrows(CodecFormatException.class, in::readUe); // eight zeros and no stop bit
        BitReader bits = new BitReader(Hex.bytes("ff"));
        bits.readBits(5);
        CodecFormatException e = assertThrows(CodecFormatException.class, () -> bits.readBits(4));
        assertTrue(e.getMessage().contains("4 bits wanted, 3 left"), e.getMessage());
        assertThrows(CodecFormatException.class, () -> bits.skipBits(4));
        assertThrows(CodecFormatException.class, () -> new BitReader(new byte[0]).readBit());
    }

    @Test
    void boundedUeNamesTheField() {
        CodecFormatException e = assertThrows(CodecFormatException.class,
                () -> new BitReader(pad("00110")).readUe("chroma_format_idc", 3));
        assertEquals("chroma_format_idc out of range: 5 > 3", e.getMessage());
    }

    /** The bit string, zero-padded to whole bytes. */
    static byte[] pad(String bits) {
        String padded = bits + "0".repeat((8 - bits.length() % 8) % 8);
        byte[] out = new byte[padded.length() / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(padded.substring(i * 8, i * 8 + 8), 2);
        }
        return out;
    }
}
