package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

public class AvcDecoderConfigTest {

    /** The avcC of h264-aac-720p30.flv (video tag 1 after its 5-byte AVC header): libx264 High 3.1. */
    public static final String AVCC_720P = """
            01  // configurationVersion
            64 00 1f  // profile 100 (High), compatibility 0, level 31
            ff  // reserved 111111, lengthSizeMinusOne 3
            e1  // reserved 111, 1 SPS
            00 1a  // SPS length 26
            67 64 00 1f ac d9 40 50 05 bb 01 10 00 00 03 00 10 00 00 03 03 c0 f1 83 19 60
            01  // 1 PPS
            00 04  // PPS length 4
            68 ef bc b0
            fd f8 f8 00  // high profile tail: chroma 4:2:0, 8 bit, 0 SPS extensions (not read)
            """;
    /** The avcC of h264-aac-1080p30-4mbps.flv: High 4.0, 1920x1088 coded, cropped to 1080. */
    public static final String AVCC_1080P = """
            01 64 00 28 ff e1 00 1b
            67 64 00 28 ac d9 40 78 02 27 e5 c0 44 00 00 03 00 04 00 00 03 00 f0 3c 60 c6 58
            01 00 04 68 ef bc b0
            fd f8 f8 00
            """;
    /** Bytes of the 720p avcC before the optional high profile tail. */
    private static final int AVCC_720P_REQUIRED = 41;

    @Test
    void parsesLibx264Record() {
        ByteBuf buf = Hex.buf(AVCC_720P);
        try {
            AvcDecoderConfig config = AvcDecoderConfig.parse(buf);
            assertEquals(100, config.profileIdc());
            assertEquals(0, config.profileCompatibility());
            assertEquals(31, config.levelIdc());
            assertEquals(4, config.nalUnitLengthSize());
            assertEquals(1, config.sps().size());
            assertEquals("6764001facd9405005bb0110000003001000000303c0f1831960", Hex.of(config.sps().get(0)));
            assertEquals(List.of("68efbcb0"), config.pps().stream().map(Hex::of).toList());
            assertEquals("avc1.64001f", config.codecString());
            assertEquals(0, buf.readerIndex(), "absolute reads only");
        } finally {
            buf.release();
        }
    }

    @Test
    void readsAWindowOfABuffer() {
        ByteBuf buf = Hex.buf("17 00 00 00 00" + AVCC_1080P); // as in the FLV tag
        try {
            AvcDecoderConfig config = AvcDecoderConfig.parse(buf, 5, buf.readableBytes() - 5);
            assertEquals("avc1.640028", config.codecString());
            assertEquals(27, config.sps().get(0).length);
        } finally {
            buf.release();
        }
    }

    @Test
    void everyTruncationIsAFormatError() {
        byte[] full = Hex.bytes(AVCC_720P);
        for (int length = 0; length < AVCC_720P_REQUIRED; length++) {
            ByteBuf buf = Hex.buf(java.util.Arrays.copyOf(full, length));
            try {
                assertThrows(CodecFormatException.class, () -> AvcDecoderConfig.parse(buf), "length " + length);
            } finally {
                buf.release();
            }
        }
        for (int length = AVCC_720P_REQUIRED; length <= full.length; length++) { // the tail is optional
            ByteBuf buf = Hex.buf(java.util.Arrays.copyOf(full, length));
            try {
                assertEquals(31, AvcDecoderConfig.parse(buf).levelIdc());
            } finally {
                buf.release();
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        // record,                                              message fragment
        "02 64 00 1f ff e1 00 01 67 00,                          configurationVersion 2",
        "01 64 00 1f fe e1 00 01 67 00,                          length size 3",
        "01 64 00 1f ff e0 00,                                   no sequence parameter set",
        "01 64 00 1f ff e1 00 00 00,                             empty SPS",
        "01 64 00 1f ff e1 00 01 68 00,                          SPS has NAL unit type 8",
        "01 64 00 1f ff e1 00 01 67 01 00 01 67,                 PPS has NAL unit type 7",
        "01 64 00 1f ff e1 ff ff 67,                             truncated at SPS (65535 bytes needed, 1 left)",
    })
    void rejectsMalformedRecords(String hex, String message) {
        ByteBuf buf = Hex.buf(hex);
        try {
            CodecFormatException e = assertThrows(CodecFormatException.class, () -> AvcDecoderConfig.parse(buf));
            assertTrue(e.getMessage().startsWith("avcC: ") && e.getMessage().contains(message), e.getMessage());
        } finally {
            buf.release();
        }
    }
}
