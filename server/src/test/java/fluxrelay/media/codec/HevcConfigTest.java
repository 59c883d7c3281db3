package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** hvcC and H.265 SPS parsing, against ffprobe 7.1.1 and ffmpeg's trace_headers for the same bytes. */
class HevcConfigTest {

    /** The VPS, SPS and PPS of hevc-aac-720p30-enhanced.flv (x265 Main 3.1, 1280x720, VUI 30 fps). */
    static final String VPS_720P = "40 01 0c 01 ff ff 01 60 00 00 03 00 90 00 00 03 00 00 03 00 5d 95 90 09";
    static final String SPS_720P = """
            42 01 01 01 60 00 00 03 00 90 00 00 03 00 00 03 00 5d a0 02 80 80 2d 16 59 59 24 93
            2b c0 5a 02 00 00 03 00 02 00 00 03 00 3c 10
            """;
    static final String PPS_720P = "44 01 c1 72 b4 62 40";

    /** That file's hvcC with its SEI array (x265's 2262-byte settings string) left out. */
    static final String HVCC_720P = """
            01  // configurationVersion
            01  // profile space 0, tier 0 (Main tier), profile 1 (Main)
            60 00 00 00  // compatibility flags 1 and 2
            90 00 00 00 00 00  // progressive source, frame only
            5d  // level 93 (3.1)
            f0 00 fc  // min_spatial_segmentation_idc 0, parallelismType 0
            fd f8 f8  // chroma 4:2:0, 8-bit luma and chroma
            00 00 0f  // avgFrameRate 0, 1 temporal layer, nested, lengthSizeMinusOne 3
            03  // 3 arrays
            20 00 01 00 18  // VPS (32): 1 NAL unit of 24 bytes
            """ + VPS_720P + """
            21 00 01 00 2b  // SPS (33): 43 bytes
            """ + SPS_720P + """
            22 00 01 00 07  // PPS (34): 7 bytes
            """ + PPS_720P;

    /** libx265 -pix_fmt yuv422p10le, 350x202 at 24000/1001: Rext, level 2, conformance window to 350x202. */
    static final String SPS_422_10BIT = """
            42 01 01 04 08 00 00 03 00 9d 08 00 00 03 00 00 3c b0 0b 08 0d 1d 4e d9 65 65 92 4c
            af 01 68 08 00 00 1f 48 00 02 ee 00 40
            """;
    /**
     * Synthetic, checked field by field with trace_headers: 2 sub-layers with sub-layer profile and
     * level, 1920x1088 with conformance bottom offset 4 (8 lines), explicit scaling lists with DC
     * coefficients, PCM, four short-term RPS of which three are inter-predicted (their flag counts
     * 4, 4 and 5 depend on the derived sets), two long-term pictures, VUI with SAR, colour, chroma
     * location, default display window and timing 60000/1001.
     */
    static final String SPS_SYNTHETIC = """
            42 01 03 01 60 00 00 03 00 90 00 00 03 00 00 03 00 5d c0 00 01 60 00 00 03 00 90 00
            00 03 00 00 03 00 5a a0 03 c0 80 11 07 cb 96 57 2b c9 22 5a 44 44 56 9a 69 a6 9a 69
            a6 9a 69 a6 9a 69 a6 9a 69 a6 9a 69 a6 9a 69 a6 9a 69 a2 22 22 61 07 4e 9d 3a 74 e9
            d3 a7 4e 9d 3a 74 e9 d3 a7 4e 9d 3a 74 c8 88 98 ff ff ff ff ff ff ff ff fe ef 52 b5
            aa 7a 67 fc 03 62 3c 87 ff 80 02 00 01 da 80 80 80 f1 f8 00 00 1f 48 00 07 53 00 40
            """;

    @Test
    void parsesX265Record() {
        ByteBuf buf = Hex.buf(HVCC_720P);
        try {
            HevcDecoderConfig config = HevcDecoderConfig.parse(buf);
            assertEquals(0, config.profileSpace());
            assertFalse(config.highTier());
            assertEquals(1, config.profileIdc());
            assertEquals(0x60000000, config.profileCompatibilityFlags());
            assertEquals(0x900000000000L, config.constraintIndicatorFlags());
            assertEquals(93, config.levelIdc());
            assertEquals(1, config.chromaFormat());
            assertEquals(8, config.bitDepthLuma());
            assertEquals(8, config.bitDepthChroma());
            assertEquals(4, config.nalUnitLengthSize());
            assertEquals(Hex.of(Hex.bytes(VPS_720P)), Hex.of(config.vps().get(0)));
            assertEquals(Hex.of(Hex.bytes(SPS_720P)), Hex.of(config.sps().get(0)));
            assertEquals(Hex.of(Hex.bytes(PPS_720P)), Hex.of(config.pps().get(0)));
            assertEquals("Main", config.profileName());
            assertEquals("3.1", config.levelName());
            assertEquals(0, buf.readerIndex());
        } finally {
            buf.release();
        }
    }

    /** ISO/IEC 14496-15 E.3: compatibility flags bit-reversed in hex, trailing zero constraint bytes dropped. */
    @ParameterizedTest
    @CsvSource({
        // ptl byte, compatibility, constraints,   level, codecs
        "01,        60000000,      900000000000,  93,    hvc1.1.6.L93.90",
        "01,        60000000,      b00000000000,  93,    hvc1.1.6.L93.B0",
        "02,        20000000,      000000000000,  120,   hvc1.2.4.L120",
        "22,        20000000,      b00000000000,  153,   hvc1.2.4.H153.B0",
        "44,        08000000,      000012000000,  90,    hvc1.A4.10.L90.0.0.12",
    })
    void writesCodecString(String ptl, String compatibility, String constraints, int level, String expected) {
        String hvcc = "01" + ptl + compatibility + constraints + String.format("%02x", level)
                + "f000fcfdf8f800000f 01 21 0001 002b" + SPS_720P;
        ByteBuf buf = Hex.buf(hvcc);
        try {
            assertEquals(expected, HevcDecoderConfig.parse(buf).codecString());
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        // SPS,           profile,                 level, chroma, bits, width, height, fps
        "SPS_720P,        Main,                    3.1,   1,      8,    1280,  720,    30",
        "SPS_422_10BIT,   Format Range Extensions, 2,     2,      10,   350,   202,    23.976023976023978",
        "SPS_SYNTHETIC,   Main,                    3.1,   1,      8,    1920,  1080,   59.94005994005994",
    })
    void readsSps(String name, String profile, String level, int chroma, int bits, int width, int height,
                  double fps) {
        HevcSps sps = HevcSps.parse(Hex.bytes(sample(name)));
        assertEquals(profile, sps.profileName());
        assertEquals(level, sps.levelName());
        assertEquals(chroma, sps.chromaFormat());
        assertEquals(bits, sps.bitDepthLuma());
        assertEquals(width, sps.width());
        assertEquals(height, sps.height());
        assertEquals(fps, sps.frameRate());
    }

    @Test
    void everyTruncationIsAFormatError() {
        byte[] full = Hex.bytes(HVCC_720P);
        for (int length = 0; length < full.length; length++) {
            ByteBuf buf = Hex.buf(Arrays.copyOf(full, length));
            try {
                assertThrows(CodecFormatException.class, () -> HevcDecoderConfig.parse(buf), "length " + length);
            } finally {
                buf.release();
            }
        }
        for (String name : new String[] {"SPS_720P", "SPS_422_10BIT", "SPS_SYNTHETIC"}) {
            byte[] sps = Hex.bytes(sample(name));
            for (int length = 0; length < sps.length; length++) {
                try {
                    assertTrue(HevcSps.parse(Arrays.copyOf(sps, length)).width() > 0);
                } catch (CodecFormatException expected) {
                    assertTrue(expected.getMessage() != null);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        // hvcC,                                                                  message fragment
        "00 01 60000000 900000000000 5d f000fcfdf8f800000f 00,                      configurationVersion 0",
        "01 01 60000000 900000000000 5d f000fcfdf8f800000e 00,                      length size 3",
        "01 01 60000000 900000000000 5d f000fcfdf8f800000f 00,                      no sequence parameter set",
        "01 01 60000000 900000000000 5d f000fcfdf8f800000f 01 21 0001 0001 42,      NAL unit of 1 bytes",
        "01 01 60000000 900000000000 5d f000fcfdf8f800000f 01 21 0001 0002 4401,    NAL unit of type 34 in array of type 33",
        "01 01 60000000 900000000000 5d f000fcfdf8f800000f 01 21 ffff 0002 4201,    truncated at nalUnitLength",
    })
    void rejectsMalformedRecords(String hex, String message) {
        ByteBuf buf = Hex.buf(hex);
        try {
            CodecFormatException e = assertThrows(CodecFormatException.class, () -> HevcDecoderConfig.parse(buf));
            assertTrue(e.getMessage().startsWith("hvcC: ") && e.getMessage().contains(message), e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Test
    void skipsOtherArrays() {
        // an SEI array (39) of two NAL units before the SPS array
        ByteBuf buf = Hex.buf("01 01 60000000 900000000000 5d f000fcfdf8f800000f 02 27 0002 0003 4e0105 0002 5001"
                + "21 0001 002b" + SPS_720P);
        try {
            HevcDecoderConfig config = HevcDecoderConfig.parse(buf);
            assertEquals(1, config.sps().size());
            assertTrue(config.vps().isEmpty() && config.pps().isEmpty());
            assertEquals(1280, config.firstSps().width());
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "40 01 0c,   NAL unit type 32, expected 33",
        "42 01,      2 bytes is too short",
        "42 01 0e,   sps_max_sub_layers_minus1 7 > 6",
    })
    void rejectsMalformedSps(String hex, String message) {
        CodecFormatException e = assertThrows(CodecFormatException.class, () -> HevcSps.parse(Hex.bytes(hex)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    static String sample(String name) {
        return switch (name) {
            case "SPS_720P" -> SPS_720P;
            case "SPS_422_10BIT" -> SPS_422_10BIT;
            case "SPS_SYNTHETIC" -> SPS_SYNTHETIC;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
