package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnnexBTest {

    @ParameterizedTest
    @CsvSource({
        // length size, length-prefixed,                       Annex B
        // AUD (09 10) then IDR slice (65 88 11)
        "4, 00000002 0910 | 00000003 658811,                  00000001 0910 00000001 658811",
        "2, 0002 0910 | 0001 06,                               00000001 0910 00000001 06",
        // a zero-length NAL unit is skipped
        "1, 02 0910 | 00 | 01 41,                              00000001 0910 00000001 41",
        // emulation prevention bytes are kept: Annex B needs them too
        "4, 00000004 06000003,                                 00000001 06000003",
        "4, '',                                                ''",
    })
    void convertsToStartCodes(int lengthSize, String avcc, String annexB) {
        ByteBuf src = Hex.buf(avcc);
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            int written = AnnexB.convert(src, 0, src.readableBytes(), lengthSize, out);
            assertEquals(Hex.of(Hex.bytes(annexB)), Hex.of(out));
            assertEquals(out.readableBytes(), written);
            assertEquals(0, src.readerIndex());
        } finally {
            src.release();
            out.release();
        }
    }

    @Test
    void convertsAWindow() {
        ByteBuf src = Hex.buf("27 01 000043 | 00000002 419a | ffff"); // legacy AVC header, one NAL unit, trailing junk
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            AnnexB.convert(src, 5, 6, 4, out);
            assertEquals("00000001419a", Hex.of(out));
        } finally {
            src.release();
            out.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "4, 00000002 0910 0000,           length prefix cut off: 2 of 4 bytes",
        "4, 00000005 0910,                NAL unit of 5 bytes, only 2 left",
        "2, 0001 09 ffff,                 NAL unit of 65535 bytes, only 0 left",
        "4, ffffffff 00,                  NAL unit of 4294967295 bytes, only 1 left",
    })
    void rejectsBadLengthsWritingNothing(int lengthSize, String avcc, String message) {
        ByteBuf src = Hex.buf(avcc);
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            CodecFormatException e = assertThrows(CodecFormatException.class,
                    () -> AnnexB.convert(src, 0, src.readableBytes(), lengthSize, out));
            assertTrue(e.getMessage().contains(message), e.getMessage());
            assertEquals(0, out.readableBytes());
            assertThrows(CodecFormatException.class,
                    () -> AnnexB.forEach(src, 0, src.readableBytes(), lengthSize, VideoCodec.AVC, (t, o, l) -> { }));
        } finally {
            src.release();
            out.release();
        }
    }

    @Test
    void visitsNalUnitsWithTypes() {
        record Nal(int type, int offset, int length) { }
        ByteBuf avc = Hex.buf("00000002 0910 | 00000003 658811 | 00000000 | 00000001 06");
        ByteBuf hevc = Hex.buf("ff | 0003 40010c | 0002 2601"); // one junk byte before the region
        try {
            List<Nal> seen = new ArrayList<>();
            assertEquals(3, AnnexB.forEach(avc, 0, avc.readableBytes(), 4, VideoCodec.AVC,
                    (type, offset, length) -> seen.add(new Nal(type, offset, length))));
            assertEquals(List.of(new Nal(9, 4, 2), new Nal(5, 10, 3), new Nal(6, 21, 1)), seen);
            seen.clear();
            assertEquals(2, AnnexB.forEach(hevc, 1, hevc.readableBytes() - 1, 2, VideoCodec.HEVC,
                    (type, offset, length) -> seen.add(new Nal(type, offset, length))));
            assertEquals(List.of(new Nal(32, 3, 3), new Nal(19, 8, 2)), seen); // VPS, IDR_W_RADL
        } finally {
            avc.release();
            hevc.release();
        }
    }

    @Test
    void writesParameterSets() {
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            AnnexB.writeNalUnits(List.of(Hex.bytes("6764001f"), Hex.bytes("68efbcb0")), out);
            assertEquals("000000016764001f0000000168efbcb0", Hex.of(out));
        } finally {
            out.release();
        }
    }

    @Test
    void rejectsProgrammingErrors() {
        ByteBuf src = Hex.buf("00");
        try {
            assertThrows(IllegalArgumentException.class, () -> AnnexB.convert(src, 0, 1, 3, src));
            assertThrows(IllegalArgumentException.class, () -> AnnexB.convert(src, 0, 2, 4, src));
            assertThrows(IllegalArgumentException.class,
                    () -> AnnexB.forEach(src, 0, 1, 4, VideoCodec.VP6, (t, o, l) -> { }));
        } finally {
            src.release();
        }
    }
}
