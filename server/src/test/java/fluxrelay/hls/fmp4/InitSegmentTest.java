package fluxrelay.hls.fmp4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import static java.nio.charset.StandardCharsets.US_ASCII;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Byte-level checks of the initialization segment against ISO/IEC 14496-12, -14 and -15. */
class InitSegmentTest {

    private static final byte[] AVCC = hex("01 64 00 1F FF E1 00 04 67 64 00 1F 01 00 04 68 EE 3C 80");
    private static final byte[] ASC = hex("12 10"); // AAC LC, 44.1 kHz, stereo
    private static final TrackConfig.Video VIDEO = new TrackConfig.Video(1, 90000, false, AVCC, 1280, 720);
    private static final TrackConfig.Audio AUDIO = new TrackConfig.Audio(2, 44100, 44100, 2, ASC);

    private final ByteBuf out = Unpooled.buffer();

    @AfterEach
    void release() {
        out.release();
    }

    private static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replace(" ", ""));
    }

    private byte[] body(Boxes box, int skip) {
        return ByteBufUtil.getBytes(out, box.start() + 8 + skip, box.size() - 8 - skip);
    }

    @Test
    void ftypNamesTheCmafBrands() {
        InitSegment.write(List.of(VIDEO), out);
        // size 32, "ftyp", major "iso6", minor 0, compatible iso6 cmfc isom mp41
        assertArrayEquals(hex("00000020 66747970 69736F36 00000000 69736F36 636D6663 69736F6D 6D703431"),
                ByteBufUtil.getBytes(out, 0, 32));
    }

    @Test
    void treeHasTheBoxesAFragmentedMovieNeedsWithSizesThatNest() {
        InitSegment.write(List.of(VIDEO, AUDIO), out);
        List<Boxes> top = Boxes.parse(out);
        assertEquals(List.of("ftyp", "moov"), top.stream().map(Boxes::type).toList());
        Boxes moov = Boxes.find(top, "moov");
        assertEquals(List.of("mvhd", "trak", "trak", "mvex"), moov.children().stream().map(Boxes::type).toList());
        Boxes trak = Boxes.all(moov.children(), "trak").get(0);
        assertEquals(List.of("tkhd", "mdia"), trak.children().stream().map(Boxes::type).toList());
        assertEquals(List.of("mdhd", "hdlr", "minf"), Boxes.find(trak.children(), "mdia").children().stream()
                .map(Boxes::type).toList());
        assertEquals(List.of("vmhd", "dinf", "stbl"), Boxes.find(trak.children(), "mdia/minf").children().stream()
                .map(Boxes::type).toList());
        assertEquals(List.of("stsd", "stts", "stsc", "stco", "stsz"),
                Boxes.find(trak.children(), "mdia/minf/stbl").children().stream().map(Boxes::type).toList());
        // mvhd v0: timescale 1000 at body offset 12, next_track_ID 3 last
        Boxes mvhd = Boxes.find(top, "moov/mvhd");
        assertEquals(108, mvhd.size());
        assertEquals(1000, out.getInt(mvhd.start() + 8 + 12));
        assertEquals(3, out.getInt(mvhd.start() + mvhd.size() - 4));
        // empty sample tables: stts/stsc/stco entry_count 0, stsz sample_size 0 and count 0
        assertArrayEquals(hex("00000000 00000000"), body(Boxes.find(trak.children(), "mdia/minf/stbl/stts"), 0));
        assertArrayEquals(hex("00000000 00000000 00000000"), body(Boxes.find(trak.children(), "mdia/minf/stbl/stsz"), 0));
        // trex per track: version/flags, track_ID, description index 1, defaults 0
        List<Boxes> trex = Boxes.find(top, "moov/mvex").children();
        assertArrayEquals(hex("00000000 00000001 00000001 00000000 00000000 00000000"), body(trex.get(0), 0));
        assertArrayEquals(hex("00000000 00000002 00000001 00000000 00000000 00000000"), body(trex.get(1), 0));
    }

    @Test
    void trackHeaderAndMediaHeaderCarrySizeTimescaleAndLanguage() {
        InitSegment.write(List.of(VIDEO), out);
        List<Boxes> top = Boxes.parse(out);
        Boxes tkhd = Boxes.find(top, "moov/trak/tkhd");
        assertEquals(92, tkhd.size());
        assertEquals(0x00000003, out.getInt(tkhd.start() + 8)); // v0, enabled | in movie
        assertEquals(1, out.getInt(tkhd.start() + 8 + 12)); // track_ID
        assertEquals(1280 << 16, out.getInt(tkhd.start() + 84));
        assertEquals(720 << 16, out.getInt(tkhd.start() + 88));
        Boxes mdhd = Boxes.find(top, "moov/trak/mdia/mdhd");
        // v0, creation, modification, timescale 90000, duration 0, "und", pre_defined
        assertArrayEquals(hex("00000000 00000000 00000000 00015F90 00000000 55C4 0000"), body(mdhd, 0));
        Boxes hdlr = Boxes.find(top, "moov/trak/mdia/hdlr");
        assertEquals("vide", out.toString(hdlr.start() + 16, 4, US_ASCII));
    }

    @Test
    void videoSampleEntryCarriesTheDecoderConfigurationRecordUnchanged() {
        InitSegment.write(List.of(VIDEO), out);
        Boxes stsd = Boxes.find(Boxes.parse(out), "moov/trak/mdia/minf/stbl/stsd");
        int entry = stsd.start() + 16;
        assertEquals(86 + 8 + AVCC.length, out.getInt(entry));
        assertEquals("avc1", out.toString(entry + 4, 4, US_ASCII));
        assertEquals(1, out.getShort(entry + 14)); // data_reference_index
        assertEquals(1280, out.getUnsignedShort(entry + 32));
        assertEquals(720, out.getUnsignedShort(entry + 34));
        assertEquals(0x0018, out.getShort(entry + 82));
        assertEquals(-1, out.getShort(entry + 84));
        assertEquals(8 + AVCC.length, out.getInt(entry + 86));
        assertEquals("avcC", out.toString(entry + 90, 4, US_ASCII));
        assertArrayEquals(AVCC, ByteBufUtil.getBytes(out, entry + 94, AVCC.length));

        out.clear();
        InitSegment.write(List.of(new TrackConfig.Video(1, 90000, true, AVCC, 1920, 1080)), out);
        Boxes hevc = Boxes.find(Boxes.parse(out), "moov/trak/mdia/minf/stbl/stsd");
        assertEquals("hvc1", out.toString(hevc.start() + 20, 4, US_ASCII));
        assertEquals("hvcC", out.toString(hevc.start() + 16 + 90, 4, US_ASCII));
    }

    @Test
    void audioSampleEntryIsMp4aWithAnEsdsOfTheAudioSpecificConfig() {
        InitSegment.write(List.of(AUDIO), out);
        List<Boxes> top = Boxes.parse(out);
        assertEquals(List.of("smhd", "dinf", "stbl"), Boxes.find(top, "moov/trak/mdia/minf").children().stream()
                .map(Boxes::type).toList());
        Boxes stsd = Boxes.find(top, "moov/trak/mdia/minf/stbl/stsd");
        int entry = stsd.start() + 16;
        assertEquals("mp4a", out.toString(entry + 4, 4, US_ASCII));
        // reserved, data_reference_index 1, reserved 8, channelcount 2, samplesize 16, 0, samplerate 44100.0
        assertArrayEquals(hex("000000000000 0001 0000000000000000 0002 0010 00000000 AC440000"),
                ByteBufUtil.getBytes(out, entry + 8, 28));
        int esds = entry + 36;
        // full box v0; ES_Descriptor (3) len 25: ES_ID 2, flags 0; DecoderConfigDescriptor (4) len 17: AAC (0x40),
        // audio stream (0x15), buffer 0, bitrates 0; DecoderSpecificInfo (5) len 2: the ASC; SLConfig (6): predefined 2
        assertArrayEquals(hex("00000027 65736473 00000000 03 19 0002 00 04 11 40 15 000000 00000000 00000000 05 02 1210 06 01 02"),
                ByteBufUtil.getBytes(out, esds, 39));
        assertEquals(36 + 39, out.getInt(entry));
    }

    @Test
    void noTrackIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> InitSegment.write(List.of(), out));
    }
}
