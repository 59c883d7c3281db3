package fluxrelay.hls.fmp4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast-start header read back box by box: every sample table holds what was added, offsets moved past the header. */
class ProgressiveMovieTest {

    /** An stsd with no entry: copied verbatim, so any bytes do. */
    private static final byte[] STSD = {0, 0, 0, 16, 's', 't', 's', 'd', 0, 0, 0, 0, 0, 0, 0, 0};

    private static SampleTable video() {
        SampleTable table = new SampleTable();
        table.beginChunk(0);
        table.add(3000, 100, true, 6000); // I, presented two frames late (B-frames follow)
        table.add(3000, 40, false, 9000);
        table.add(3000, 20, false, 3000);
        table.beginChunk(1000);
        table.add(3000, 90, true, 6000);
        table.add(3000, 30, false, 6000);
        return table;
    }

    private static SampleTable audio() {
        SampleTable table = new SampleTable();
        table.beginChunk(160);
        for (int i = 0; i < 4; i++) {
            table.add(1024, 10, true, 0);
        }
        table.beginChunk(1120);
        table.add(1024, 10, true, 0);
        table.extendLast(1024); // a gap after it: the track stays in step
        return table;
    }

    @Test
    void everyTableReadsBackWithOffsetsPastTheHeader() {
        List<ProgressiveMovie.Track> tracks = List.of(new ProgressiveMovie.Track(1, 90_000, true, 1280, 720, STSD, video(), 6000),
                new ProgressiveMovie.Track(2, 48_000, false, 0, 0, STSD, audio(), 0));
        byte[] header = ProgressiveMovie.header(tracks, 8, ByteBufAllocator.DEFAULT);
        ByteBuf buf = Unpooled.wrappedBuffer(header);
        List<Boxes> boxes = Boxes.parse(buf);
        assertEquals(List.of("ftyp", "moov"), boxes.stream().map(Boxes::type).toList());
        long mediaStart = header.length + 8L;

        // mvhd (v0): timescale 1000, duration the longest presentation: video 5 frames from its first picture
        Boxes mvhd = Boxes.find(boxes, "moov/mvhd");
        assertEquals(1000, buf.getInt(mvhd.start() + 20));
        assertEquals(166, buf.getInt(mvhd.start() + 24)); // video: (4 * 3000 + 6000 + 3000 - 6000) / 90 ms

        List<Boxes> traks = Boxes.all(Boxes.find(boxes, "moov").children(), "trak");
        Boxes videoTrak = traks.get(0);
        Boxes elst = Boxes.find(videoTrak.children(), "edts/elst");
        assertEquals(1, buf.getInt(elst.start() + 12));
        assertEquals(166, buf.getLong(elst.start() + 16)); // segment_duration, ms
        assertEquals(6000, buf.getLong(elst.start() + 24)); // media_time: the first picture
        assertEquals(0x00010000, buf.getInt(elst.start() + 32));
        Boxes stbl = Boxes.find(videoTrak.children(), "mdia/minf/stbl");
        assertEquals("stsd", type(buf, Boxes.find(stbl.children(), "stsd")));
        assertEquals(List.of(5, 3000), entries(buf, Boxes.find(stbl.children(), "stts"), 2));
        assertEquals(List.of(1, 6000, 1, 9000, 1, 3000, 2, 6000), entries(buf, Boxes.find(stbl.children(), "ctts"), 2));
        assertEquals(List.of(1, 4), entries(buf, Boxes.find(stbl.children(), "stss"), 1));
        assertEquals(List.of(1, 3, 1, 2, 2, 1), entries(buf, Boxes.find(stbl.children(), "stsc"), 3));
        Boxes stsz = Boxes.find(stbl.children(), "stsz");
        assertEquals(0, buf.getInt(stsz.start() + 12));
        assertEquals(List.of(100, 40, 20, 90, 30), entries(buf, stsz, 1, 4));
        assertEquals(List.of((int) mediaStart, (int) mediaStart + 1000), entries(buf, Boxes.find(stbl.children(), "stco"), 1));

        Boxes audioStbl = Boxes.find(traks.get(1).children(), "mdia/minf/stbl");
        assertEquals(List.of(4, 1024, 1, 2048), entries(buf, Boxes.find(audioStbl.children(), "stts"), 2));
        assertEquals(List.of(), audioStbl.children().stream().map(Boxes::type).filter(t -> t.equals("stss") || t.equals("ctts"))
                .toList(), "every AAC frame is a sync sample; no composition offsets");
        assertEquals(List.of(1, 4, 1, 2, 1, 1), entries(buf, Boxes.find(audioStbl.children(), "stsc"), 3));
        Boxes audioMdhd = Boxes.find(traks.get(1).children(), "mdia/mdhd");
        assertEquals(48_000, buf.getInt(audioMdhd.start() + 20));
        assertEquals(6 * 1024, buf.getInt(audioMdhd.start() + 24));
        assertEquals(List.of(), Boxes.all(traks.get(1).children(), "edts"));
    }

    @Test
    void chunkOffsetsPastFourGibibytesAreSixtyFourBit() {
        SampleTable table = new SampleTable();
        table.beginChunk(0);
        table.add(1024, 10, true, 0);
        table.beginChunk(5L << 30);
        table.add(1024, 10, true, 0);
        byte[] header = ProgressiveMovie.header(List.of(new ProgressiveMovie.Track(1, 48_000, false, 0, 0, STSD, table, 0)), 16,
                ByteBufAllocator.DEFAULT);
        ByteBuf buf = Unpooled.wrappedBuffer(header);
        Boxes co64 = Boxes.find(Boxes.parse(buf), "moov/trak/mdia/minf/stbl/co64");
        assertEquals(2, buf.getInt(co64.start() + 12));
        assertEquals(header.length + 16L, buf.getLong(co64.start() + 16));
        assertEquals((5L << 30) + header.length + 16, buf.getLong(co64.start() + 24));
    }

    @Test
    void aSampleNeedsAChunkAndAMovieATrack() {
        assertThrows(IllegalStateException.class, () -> new SampleTable().add(1, 1, true, 0));
        assertThrows(IllegalArgumentException.class, () -> ProgressiveMovie.header(List.of(), 8, ByteBufAllocator.DEFAULT));
    }

    private static String type(ByteBuf buf, Boxes box) {
        return buf.toString(box.start() + 4, 4, StandardCharsets.ISO_8859_1);
    }

    /** The entries of a full box whose entry count is at offset 12, each {@code width} ints. */
    private static List<Integer> entries(ByteBuf buf, Boxes box, int width) {
        return entries(buf, box, width, 0);
    }

    private static List<Integer> entries(ByteBuf buf, Boxes box, int width, int skip) {
        int count = buf.getInt(box.start() + 12 + skip);
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < count * width; i++) {
            values.add(buf.getInt(box.start() + 16 + skip + 4 * i));
        }
        assertEquals(box.size(), 16 + skip + 4 * count * width, "box size matches its entries");
        return values;
    }
}
