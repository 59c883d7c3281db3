package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SPS parsing against values ffprobe 5.1 reports for the same bytes ({@code -show_streams}) and,
 * for the synthetic ones, ffmpeg's {@code trace_headers} bitstream filter field by field.
 */
class AvcSpsTest {

    /** h264-aac-720p30.flv: High 3.1, 80x45 MBs, VUI timing 60/(2*1). */
    static final String SPS_720P = "67 64 00 1f ac d9 40 50 05 bb 01 10 00 00 03 00 10 00 00 03 03 c0 f1 83 19 60";
    /** h264-aac-1080p30-4mbps.flv: High 4.0, 120x68 MBs = 1920x1088, frame_crop_bottom_offset 4 (x2). */
    static final String SPS_1080P = "67 64 00 28 ac d9 40 78 02 27 e5 c0 44 00 00 03 00 04 00 00 03 00 f0 3c 60 c6 58";
    /** libx264 -pix_fmt yuv444p -flags +ildct+ilme -x264-params tff=1:cqm=jvt, 350x202 at 25 fps:
     *  High 4:4:4 Predictive, 12 scaling lists, frame_mbs_only 0, cropping 350x202 from 352x208. */
    static final String SPS_444_INTERLACED = "67 f4 00 15 91 9b 28 2c 77 b8 cc 04 40 00 00 03 00 40 00 00 0c 87 c5 0a 65 80";
    /** libx264 -profile:v baseline 176x144 at 25 fps: constraint_set0/1, pic_order_cnt_type 2. */
    static final String SPS_BASELINE = "67 42 c0 0b d9 02 c4 ec 04 40 00 00 03 00 40 00 00 0c 83 c5 0a 92";
    /**
     * Synthetic (checked with trace_headers): High 4:2:2 level 4.0, 10 bit, scaling lists 0 and 6
     * explicit and 3 "use default" (delta -8), pic_order_cnt_type 1 with a 3-frame cycle,
     * frame_mbs_only 0 with 34 map units (1088 lines), crop bottom 4 units of 2 lines, no VUI.
     */
    static final String SPS_422_POC1_NO_VUI = """
            67 7a 00 28 23 6d b4 d3 4d 34 d3 4d 10 89 69 a6 9a 69 a6 9a 69 a6 9a 69 a6
            9a 69 a6 9a 69 a6 9a 69 a6 9a 69 a6 9a 50 a8 84 28 82 80 f0 08 9f 95
            """;

    @ParameterizedTest
    @CsvSource({
        // SPS,                 profile,              level, chroma, bits, width, height, fps
        "SPS_720P,              High,                 3.1,   1,      8,    1280,  720,    30",
        "SPS_1080P,             High,                 4,     1,      8,    1920,  1080,   30",
        "SPS_444_INTERLACED,    High 4:4:4 Predictive, 2.1,  3,      8,    350,   202,    25",
        "SPS_BASELINE,          Constrained Baseline, 1.1,   1,      8,    176,   144,    25",
        "SPS_422_POC1_NO_VUI,   High 4:2:2,           4,     2,      10,   1920,  1080,   NaN",
    })
    void readsSizeAndRate(String name, String profile, String level, int chroma, int bits, int width, int height,
                          double fps) {
        AvcSps sps = AvcSps.parse(Hex.bytes(sample(name)));
        assertEquals(profile, sps.profileName());
        assertEquals(level, sps.levelName());
        assertEquals(chroma, sps.chromaFormat());
        assertEquals(bits, sps.bitDepthLuma());
        assertEquals(width, sps.width());
        assertEquals(height, sps.height());
        assertEquals(fps, sps.frameRate());
    }

    @Test
    void everyTruncationIsAFormatErrorOrAResult() {
        for (String name : new String[] {"SPS_720P", "SPS_1080P", "SPS_444_INTERLACED", "SPS_422_POC1_NO_VUI"}) {
            byte[] full = Hex.bytes(sample(name));
            for (int length = 0; length < full.length; length++) {
                byte[] cut = Arrays.copyOf(full, length);
                try {
                    AvcSps sps = AvcSps.parse(cut);
                    assertTrue(sps.width() > 0 && sps.height() > 0, name + " cut to " + length);
                } catch (CodecFormatException expected) {
                    assertTrue(expected.getMessage() != null);
                }
            }
            // cut after level_idc: no size can be read
            assertThrows(CodecFormatException.class, () -> AvcSps.parse(Arrays.copyOf(full, 4)), name);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "68 64 00 1f ac,       NAL unit type 8, expected 7",
        "67 64 00,             3 bytes is too short",
        "67 64 00 1f 04 20,    seq_parameter_set_id out of range: 32 > 31",   // ue 00000 100001 = 32
        "67 64 00 1f 94,       chroma_format_idc out of range: 4 > 3",      // sps id 1 = 0, ue 00101 = 4
    })
    void rejectsMalformedSps(String hex, String message) {
        CodecFormatException e = assertThrows(CodecFormatException.class, () -> AvcSps.parse(Hex.bytes(hex)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void rejectsCroppingLargerThanThePicture() {
        // Baseline, 1x1 MB, frame_mbs_only, crop left 8 units of 2 = 16 pixels: nothing left
        byte[] sps = spsBits("1 1 1 011 1 1 1 1 1 1 1 0001001 1 1 1 0");
        CodecFormatException e = assertThrows(CodecFormatException.class, () -> AvcSps.parse(sps));
        assertTrue(e.getMessage().contains("leaves nothing of 16x16"), e.getMessage());
    }

    /** Baseline SPS header bytes followed by the given bits after level_idc (spaces ignored). */
    private static byte[] spsBits(String bits) {
        byte[] tail = BitReaderTest.pad(bits.replace(" ", "") + "1");
        byte[] out = new byte[4 + tail.length];
        out[0] = 0x67;
        out[1] = 66;
        out[2] = 0;
        out[3] = 10;
        System.arraycopy(tail, 0, out, 4, tail.length);
        return out;
    }

    static String sample(String name) {
        return switch (name) {
            case "SPS_720P" -> SPS_720P;
            case "SPS_1080P" -> SPS_1080P;
            case "SPS_444_INTERLACED" -> SPS_444_INTERLACED;
            case "SPS_BASELINE" -> SPS_BASELINE;
            case "SPS_422_POC1_NO_VUI" -> SPS_422_POC1_NO_VUI;
            default -> throw new IllegalArgumentException(name);
        };
    }
}
