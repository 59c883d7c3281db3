package fluxrelay.hls.ts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Byte-level checks of the transport stream writer against ISO/IEC 13818-1. */
class TsMuxerTest {

    private static final ElementaryStream VIDEO = new ElementaryStream(0x100, ElementaryStream.TYPE_H264, 0xE0);
    private static final ElementaryStream AUDIO = new ElementaryStream(0x101, ElementaryStream.TYPE_AAC_ADTS, 0xC0);
    private static final TsProgram AV = new TsProgram(1, 0x1000, 0x100, 0, List.of(VIDEO, AUDIO));

    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    private static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    @Test
    void crcIsTheMpeg2VariantWithItsStandardCheckValue() {
        ByteBuf data = Unpooled.copiedBuffer("123456789", StandardCharsets.US_ASCII);
        assertEquals(0x0376E6E7, Crc32Mpeg2.compute(data, 0, 9)); // CRC-32/MPEG-2 check value
        data.release();
    }

    @Test
    void patAndPmtAreTheCanonicalSectionsWithTheirCrc() {
        new TsMuxer(AV).writeTables(out);
        assertEquals(2 * 188, out.readableBytes());
        // PAT packet: PID 0, payload_unit_start, payload only, CC 0; pointer_field 0.
        assertArrayEquals(hex("47 40 00 10 00"), ByteBufUtil.getBytes(out, 0, 5));
        // table_id 0, section_length 13, transport_stream_id 1, version 0 current, program 1 -> PMT PID 0x1000, CRC.
        assertArrayEquals(hex("00 B0 0D 00 01 C1 00 00 00 01 F0 00 2A B1 04 B2"), ByteBufUtil.getBytes(out, 5, 16));
        // PMT packet on PID 0x1000.
        assertArrayEquals(hex("47 50 00 10 00"), ByteBufUtil.getBytes(out, 188, 5));
        // table_id 2, section_length 23, program 1, version 0, PCR_PID 0x100, no program info,
        // H.264 (0x1B) on 0x100 and ADTS AAC (0x0F) on 0x101, CRC.
        assertArrayEquals(hex("02 B0 17 00 01 C1 00 00 E1 00 F0 00 1B E1 00 F0 00 0F E1 01 F0 00 2F 44 B9 9B"),
                ByteBufUtil.getBytes(out, 193, 26));
        for (int i = 5 + 16; i < 188; i++) {
            assertEquals((byte) 0xFF, out.getByte(i), "stuffing after the PAT");
        }
        TsParser parsed = TsParser.parse(out);
        for (byte[] section : parsed.sections()) {
            ByteBuf s = Unpooled.wrappedBuffer(section);
            assertEquals(0, Crc32Mpeg2.compute(s, 0, section.length), "a section's CRC over itself and its CRC_32 is 0");
        }
    }

    @Test
    void tableVersionAndContinuityCountersAdvance() {
        TsMuxer muxer = new TsMuxer(new TsProgram(1, 0x1000, 0x101, 5, List.of(AUDIO)));
        for (int i = 0; i < 17; i++) {
            muxer.writeTables(out);
        }
        TsParser parsed = TsParser.parse(out); // checks the counters run 0..15, 0 per PID
        assertEquals(16, parsed.packets().get(2 * 16).continuity() + 16);
        assertEquals(0xC1 | 5 << 1, parsed.sections().get(0)[5] & 0xFF, "version_number 5, current");
        assertEquals(0x0F, parsed.sections().get(1)[12] & 0xFF, "audio-only PMT lists ADTS AAC");
        assertEquals(0x101, (parsed.sections().get(1)[8] & 0x1F) << 8 | parsed.sections().get(1)[9] & 0xFF, "PCR_PID");
    }

    @Test
    void presentationTimeStampsAreEncodedWithPrefixAndMarkers() {
        byte[] ts = new byte[5];
        TsMuxer.writeTimestamp(ts, 0, 0x2, 90_000); // one second
        assertArrayEquals(hex("21 00 05 BF 21"), ts);
        TsMuxer.writeTimestamp(ts, 0, 0x3, (1L << 33) - 1);
        assertArrayEquals(hex("3F FF FF FF FF"), ts);
        TsMuxer.writeTimestamp(ts, 0, 0x1, (1L << 33) + 7); // wraps at 2^33
        assertEquals(7, TsParser.timestamp(ts, 0, 1));
    }

    @Test
    void aVideoPesStartsWithPcrAndRandomAccessAndCarriesPtsAndDts() {
        TsMuxer muxer = new TsMuxer(AV);
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[1000]);
        muxer.writePes(out, VIDEO, 93_003, 90_000, payload, true, 45_000);
        assertEquals(0, payload.readerIndex(), "the payload's indexes do not move");
        // First packet: PUSI, PID 0x100, adaptation + payload, CC 0; adaptation field of 7 bytes: RAI and PCR.
        assertArrayEquals(hex("47 41 00 30 07 50"), ByteBufUtil.getBytes(out, 0, 6));
        // PCR base 45000 = 0xAFC8: 33 bits then 6 reserved ones and a 9-bit extension of 0.
        assertArrayEquals(hex("00 00 57 E4 7E 00"), ByteBufUtil.getBytes(out, 6, 6));
        // PES header: start code, stream_id E0, PES_packet_length 3+10+1000, '10' + data_alignment, PTS+DTS, 10 bytes.
        assertArrayEquals(hex("00 00 01 E0 03 F5 84 C0 0A"), ByteBufUtil.getBytes(out, 12, 9));
        assertArrayEquals(hex("31 00 05 D6 97 11 00 05 BF 21"), ByteBufUtil.getBytes(out, 21, 10));
        TsParser.Pes pes = TsParser.parse(out).pes().get(0);
        assertEquals(93_003, pes.pts());
        assertEquals(90_000, pes.dts());
        assertEquals(45_000, pes.pcrBase());
        assertTrue(pes.randomAccess());
        assertEquals(1000, pes.payload().length);
        payload.release();
    }

    @Test
    void everyPayloadSizeFillsWholePacketsAndReadsBackExactly() {
        TsMuxer muxer = new TsMuxer(AV);
        for (int size = 0; size <= 800; size++) {
            byte[] data = new byte[size];
            for (int i = 0; i < size; i++) {
                data[i] = (byte) (i * 31 + size);
            }
            ByteBuf payload = Unpooled.wrappedBuffer(data);
            boolean video = size % 2 == 0;
            boolean flags = size % 3 == 0;
            muxer.writePes(out, video ? VIDEO : AUDIO, 1000 + size, video ? 900 + size : -1, payload, flags,
                    video && flags ? size : -1);
            TsParser.Pes pes = TsParser.parse(out).pes().get(0);
            assertArrayEquals(data, pes.payload(), "payload of " + size + " bytes");
            assertEquals(1000 + size, pes.pts());
            assertEquals(video ? 900 + size : -1, pes.dts());
            assertEquals(flags, pes.randomAccess());
            assertEquals(video && flags ? size : -1, pes.pcrBase());
            payload.release();
            out.clear();
        }
    }

    @Test
    void aOneByteGapIsFilledByAnEmptyAdaptationField() {
        // 14-byte PES header (PTS only) + 169 bytes = 183: one byte short of a full packet.
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[169]);
        new TsMuxer(AV).writePes(out, AUDIO, 0, -1, payload, false, -1);
        assertEquals(188, out.readableBytes());
        assertArrayEquals(hex("47 41 01 30 00 00 00 01 C0"), ByteBufUtil.getBytes(out, 0, 9));
        payload.release();
    }

    @Test
    void continuityCountersRunOnAcrossPesPacketsPerPid() {
        TsMuxer muxer = new TsMuxer(AV);
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[500]);
        for (int i = 0; i < 20; i++) {
            muxer.writePes(out, i % 2 == 0 ? VIDEO : AUDIO, i, -1, payload, false, -1);
        }
        TsParser parsed = TsParser.parse(out); // fails on a counter out of order
        assertEquals(60, parsed.packets().size());
        assertEquals(20, parsed.pes().size());
        payload.release();
    }

    @Test
    void longVideoPesLeavesTheLengthOpenAndLongAudioIsRefused() {
        TsMuxer muxer = new TsMuxer(AV);
        ByteBuf big = Unpooled.wrappedBuffer(new byte[70_000]);
        muxer.writePes(out, VIDEO, 0, -1, big, true, 0);
        TsParser.Pes pes = TsParser.parse(out).pes().get(0);
        assertEquals(0, pes.declaredLength());
        assertEquals(70_000, pes.payload().length);
        assertThrows(IllegalArgumentException.class, () -> muxer.writePes(out, AUDIO, 0, -1, big, false, -1));
        assertThrows(IllegalArgumentException.class, () -> muxer.writePes(out, AUDIO, 0, -1, big, false, 5),
                "the PCR belongs on the PCR PID");
        big.release();
    }

    @Test
    void programsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new TsProgram(1, 0x1000, 0x200, 0, List.of(VIDEO)));
        assertThrows(IllegalArgumentException.class, () -> new ElementaryStream(0x1FFF, 0x1B, 0xE0));
        assertFalse(AUDIO.isVideo());
    }
}
