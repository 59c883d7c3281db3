package fluxrelay.hls.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Byte-level checks of movie fragments against ISO/IEC 14496-12 8.8. */
class FragmentTest {

    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    private static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    @Test
    void oneTrackFragmentIsTheExactMoofAndMdat() {
        ByteBuf data = Unpooled.wrappedBuffer(hex("AAAA BBBBBB"));
        TrackRun run = new TrackRun(1, 0x1_0000_0000L, List.of(new Sample(3000, 2, true, 3000),
                new Sample(3000, 3, false, -1500)), data);
        Fragment.write(7, List.of(run), out);
        byte[] expected = hex(""
                + "00000078 6D6F6F66" // moof, 120 bytes
                + "00000010 6D666864 00000000 00000007" // mfhd, sequence 7
                + "00000060 74726166" // traf
                + "00000010 74666864 00020000 00000001" // tfhd: default-base-is-moof, track 1
                + "00000014 74666474 01000000 00000001 00000000" // tfdt v1: 2^32
                + "00000034 7472756E 01000F01 00000002 00000080" // trun v1, 2 samples, data at 120 + 8
                + "00000BB8 00000002 02000000 00000BB8" // 3000, 2 bytes, sync, +3000
                + "00000BB8 00000003 01010000 FFFFFA24" // 3000, 3 bytes, non-sync, -1500
                + "0000000D 6D646174 AAAABBBBBB"); // mdat
        assertArrayEquals(expected, ByteBufUtil.getBytes(out));
        assertEquals(0, data.readerIndex(), "data is read, not consumed");
        data.release();
    }

    @Test
    void eachTrackRunPointsAtItsOwnDataInTheSharedMdat() {
        ByteBuf video = Unpooled.wrappedBuffer(hex("01020304"));
        ByteBuf audio = Unpooled.wrappedBuffer(hex("0506"));
        Fragment.write(1, List.of(new TrackRun(1, 0, List.of(new Sample(3000, 4, true, 0)), video),
                new TrackRun(2, 0, List.of(new Sample(1024, 1, true, 0), new Sample(1024, 1, true, 0)), audio)), out);
        List<Boxes> top = Boxes.parse(out);
        Boxes moof = Boxes.find(top, "moof");
        Boxes mdat = Boxes.find(top, "mdat");
        List<Boxes> trafs = Boxes.all(moof.children(), "traf");
        int videoOffset = out.getInt(Boxes.find(trafs.get(0).children(), "trun").start() + 16);
        int audioOffset = out.getInt(Boxes.find(trafs.get(1).children(), "trun").start() + 16);
        assertEquals(mdat.start() + 8, moof.start() + videoOffset);
        assertArrayEquals(hex("01020304"), ByteBufUtil.getBytes(out, moof.start() + videoOffset, 4));
        assertArrayEquals(hex("0506"), ByteBufUtil.getBytes(out, moof.start() + audioOffset, 2));
        video.release();
        audio.release();
    }

    @Test
    void sampleSizesMustMatchTheData() {
        ByteBuf data = Unpooled.wrappedBuffer(new byte[3]);
        assertThrows(IllegalArgumentException.class, () -> new TrackRun(1, 0, List.of(new Sample(1, 2, true, 0)), data));
        assertThrows(IllegalArgumentException.class, () -> Fragment.write(1, List.of(), out));
        data.release();
    }
}
