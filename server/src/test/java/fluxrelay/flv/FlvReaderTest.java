package fluxrelay.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.media.codec.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Reading the sample clips. Expected counts come from {@code ffprobe -show_packets} on the same
 * files (5.1 for H.264, 7.1.1 for the Enhanced RTMP one); ffprobe counts coded frames and
 * keyframes, not the sequence headers, end-of-sequence or metadata tags, which the tag dump adds.
 */
class FlvReaderTest {

    @ParameterizedTest
    @CsvSource({
        // file,                          flags, tags, script, video seq, coded, key, end seq, other, audio seq, audio
        "h264-aac-720p30-1s.flv,          av,    83,   1,      1,         32,    1,   1,       0,     1,         47",
        "h264-aac-1080p30-0.3s.flv,       av,    30,   1,      1,         11,    1,   1,       0,     1,         15",
        "video-only-2.1s.flv,             v,     68,   1,      1,         65,    2,   1,       0,     0,         0",
        "audio-only-3s.flv,               a,     143,  1,      0,         0,     0,   0,       0,     1,         141",
        // ffmpeg 7.1 writes a colorInfo Metadata packet and no end of sequence
        "hevc-aac-720p30-enhanced-1s.flv, av,    83,   1,      1,         32,    1,   0,       1,     1,         47",
    })
    void countsMatchFfprobe(String name, String flags, int tags, int scripts, int videoSeq, int coded, int keys,
                            int endSeq, int other, int audioSeq, int audio) {
        ByteBuf file = TestMedia.load(name);
        try {
            FlvReader reader = new FlvReader(file);
            assertEquals(flags.contains("a"), reader.hasAudio());
            assertEquals(flags.contains("v"), reader.hasVideo());
        } finally {
            file.release();
        }
        List<MediaFrame> frames = TestMedia.frames(name);
        try {
            assertEquals(tags, frames.size());
            assertEquals(scripts, count(frames, f -> f instanceof ScriptFrame));
            assertEquals(videoSeq, count(frames, f -> f instanceof VideoFrame v && v.isSequenceHeader()));
            assertEquals(coded, count(frames, f -> f instanceof VideoFrame v && v.kind() == VideoPacketKind.CODED_FRAME));
            assertEquals(keys, count(frames, f -> f instanceof VideoFrame v && v.isRandomAccessPoint()));
            assertEquals(endSeq, count(frames, f -> f instanceof VideoFrame v && v.kind() == VideoPacketKind.END_OF_SEQUENCE));
            assertEquals(other, count(frames, f -> f instanceof VideoFrame v && v.kind() == VideoPacketKind.OTHER));
            assertEquals(audioSeq, count(frames, f -> f instanceof AudioFrame a && a.sequenceHeader()));
            assertEquals(audio, count(frames, f -> f instanceof AudioFrame a && !a.sequenceHeader()));
        } finally {
            TestMedia.releaseAll(frames);
        }
    }

    /**
     * The first coded video frames: ffprobe's dts, pts - dts and packet size, which is the tag
     * body less the data offset (5 for legacy AVC and CodedFramesX, 8 for CodedFrames with its
     * composition time).
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "h264-aac-720p30-1s.flv;          0 67 33783 K, 34 66 9440, 67 67 10487, 100 134 9126, 134 33 5159, 167 33 4751",
        "h264-aac-1080p30-0.3s.flv;       0 67 70878 K, 34 133 38150, 67 33 23520, 100 34 21541, 134 133 31823, 167 33 17733",
        "video-only-2.1s.flv;             0 67 25489 K, 34 66 6147, 67 67 5874, 100 134 5017, 134 33 2871, 167 33 2513",
        "hevc-aac-720p30-enhanced-1s.flv; 0 67 32240 K, 34 133 19902, 67 67 7697, 100 0 6094, 134 133 12581, 167 67 4236",
    })
    void firstVideoFramesMatchFfprobe(String name, String expected) {
        List<MediaFrame> frames = TestMedia.frames(name);
        try {
            List<String> actual = frames.stream()
                    .filter(f -> f instanceof VideoFrame v && v.kind() == VideoPacketKind.CODED_FRAME)
                    .limit(6)
                    .map(f -> (VideoFrame) f)
                    .map(v -> v.timestamp() + " " + v.compositionTime() + " " + (v.size() - v.dataOffset())
                            + (v.isRandomAccessPoint() ? " K" : ""))
                    .toList();
            assertEquals(List.of(expected.split(", ")), actual);
        } finally {
            TestMedia.releaseAll(frames);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        // ffprobe dts and size of the first raw AAC frames (tag body less 2)
        "audio-only-3s.flv;               0 304, 21 395, 42 314, 64 295",
        "h264-aac-720p30-1s.flv;          46 304, 67 395, 88 314, 110 295",
        "hevc-aac-720p30-enhanced-1s.flv; 46 304, 67 395, 88 314, 110 296",
    })
    void firstAudioFramesMatchFfprobe(String name, String expected) {
        List<MediaFrame> frames = TestMedia.frames(name);
        try {
            List<String> actual = frames.stream()
                    .filter(f -> f instanceof AudioFrame a && !a.sequenceHeader())
                    .limit(4)
                    .map(f -> f.timestamp() + " " + (f.size() - f.dataOffset()))
                    .toList();
            assertEquals(List.of(expected.split(", ")), actual);
        } finally {
            TestMedia.releaseAll(frames);
        }
    }

    /** Tag header and trailer writers reproduce every sample file byte for byte around the read bodies. */
    @Test
    void rewritesFilesByteForByte() {
        for (String name : TestMedia.ALL) {
            ByteBuf file = TestMedia.load(name);
            ByteBuf copy = ByteBufAllocator.DEFAULT.heapBuffer(file.readableBytes());
            try {
                FlvReader reader = new FlvReader(file);
                FlvFileHeader.write(copy, reader.hasAudio(), reader.hasVideo());
                for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                    FlvTagHeader.write(copy, tag.type(), tag.timestamp(), tag.body().readableBytes());
                    copy.writeBytes(tag.body(), tag.body().readerIndex(), tag.body().readableBytes());
                    FlvTagHeader.writePreviousTagSize(copy, tag.body().readableBytes());
                    tag.release();
                }
                assertTrue(io.netty.buffer.ByteBufUtil.equals(file, copy), name);
                assertEquals(1, file.refCnt(), "every body slice released");
            } finally {
                file.release();
                copy.release();
            }
        }
    }

    /** A file of one 2-byte audio tag: header, PreviousTagSize0, tag, PreviousTagSize 13. */
    private static final String ONE_TAG = "464c56 01 04 00000009 | 00000000 | 08 000002 00002a 00 000000 af01 | 0000000d";

    @Test
    void readsAMinimalFile() {
        ByteBuf file = Hex.buf(ONE_TAG);
        try {
            FlvReader reader = new FlvReader(file);
            FlvTag tag = reader.next();
            assertEquals(8, tag.type());
            assertEquals(42, tag.timestamp());
            assertEquals("af01", Hex.of(tag.body()));
            tag.release();
            assertNull(reader.next());
            assertNull(reader.next());
        } finally {
            file.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        // no final PreviousTagSize
        "464c56 01 04 00000009 00000000 08 000002 00002a 00 000000 af01",
        // a larger DataOffset: 3 bytes of header extension are skipped
        "464c56 01 04 0000000c ffffff 00000000 08 000002 00002a 00 000000 af01 0000000d",
        // TimestampExtended and a non-zero StreamID (ignored)
        "464c56 01 04 00000009 00000000 08 000002 00002a 00 000001 af01 0000000d",
    })
    void acceptsLenientFiles(String hex) {
        ByteBuf file = Hex.buf(hex);
        try {
            List<FlvTag> tags = FlvReader.readAll(file);
            assertEquals(1, tags.size());
            assertEquals("af01", Hex.of(tags.get(0).body()));
            tags.forEach(FlvTag::release);
        } finally {
            file.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        // file,                                                                 message fragment
        "464c57 01 04 00000009 00000000,                                         not an FLV file",
        "464c56 02 04 00000009 00000000,                                         FLV version 2",
        "464c56 01 04 00000008 00000000,                                         DataOffset 8",
        "464c56 01 04 000000ff 00000000,                                         DataOffset 255",
        "464c56 01 04 000000,                                                    truncated in file header",
        "464c56 01 04 00000009 00000001,                                         PreviousTagSize 1 at 9, expected 0",
        "464c56 01 04 00000009 0000,                                             truncated in PreviousTagSize",
        "464c56 01 04 00000009 00000000 08 000002 00002a,                        truncated in tag header",
        "464c56 01 04 00000009 00000000 08 000003 00002a 00 000000 af01,         truncated in tag body",
        "464c56 01 04 00000009 00000000 08 000002 00002a 00 000000 af01 0000000e, PreviousTagSize 14 at 26, expected 13",
        "464c56 01 04 00000009 00000000 28 000002 00002a 00 000000 af01 0000000d, encrypted",
        "464c56 01 04 00000009 00000000 08 000002 00002a 00 000000 af01 0000000d 08 ffffff, truncated in tag header",
        "464c56 01 04 00000009 00000000 08 000002 00002a 00 000000 af01 0000000d 08 ffffff 000000 00 000000 00, truncated in tag body",
    })
    void rejectsCorruptFilesLeavingNothingRetained(String hex, String message) {
        ByteBuf file = Hex.buf(hex);
        try {
            FlvFormatException e = assertThrows(FlvFormatException.class, () -> FlvReader.readAll(file));
            assertTrue(e.getMessage().contains(message), e.getMessage());
            assertEquals(1, file.refCnt());
        } finally {
            file.release();
        }
    }

    private static long count(List<MediaFrame> frames, java.util.function.Predicate<MediaFrame> test) {
        return frames.stream().filter(test).count();
    }
}
