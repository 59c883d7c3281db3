package fluxrelay.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.media.codec.Adts;
import fluxrelay.media.codec.AnnexB;
import fluxrelay.media.codec.AudioCodecInfo;
import fluxrelay.media.codec.AudioSpecificConfig;
import fluxrelay.media.codec.AvcDecoderConfig;
import fluxrelay.media.codec.CodecInfo;
import fluxrelay.media.codec.HevcDecoderConfig;
import fluxrelay.media.codec.VideoCodecInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

/** The sample clips end to end: demux, codec summaries, Annex B and ADTS over every frame. */
class SampleCodecsTest {

    static final List<String> ALL = TestMedia.ALL;

    /** What ffprobe -show_streams says of the same files (profile, level, size, r_frame_rate). */
    @ParameterizedTest
    @CsvSource({
        "h264-aac-720p30-1s.flv,          AVC,  avc1.64001f,     High, 3.1, 1280, 720",
        "h264-aac-1080p30-0.3s.flv,       AVC,  avc1.640028,     High, 4,   1920, 1080",
        "video-only-2.1s.flv,             AVC,  avc1.64001f,     High, 3.1, 1280, 720",
        "hevc-aac-720p30-enhanced-1s.flv, HEVC, hvc1.1.6.L93.90, Main, 3.1, 1280, 720",
    })
    void videoSummary(String name, VideoCodec codec, String codecs, String profile, String level, int width,
                      int height) {
        List<MediaFrame> frames = TestMedia.frames(name);
        try {
            VideoFrame header = (VideoFrame) frames.stream()
                    .filter(f -> f instanceof VideoFrame v && v.isSequenceHeader()).findFirst().orElseThrow();
            assertEquals(new VideoCodecInfo(codec, codecs, profile, level, width, height, 30.0),
                    CodecInfo.fromSequenceHeader(header));
        } finally {
            TestMedia.releaseAll(frames);
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void audioSummary(String name) {
        List<MediaFrame> frames = TestMedia.frames(name);
        try {
            frames.stream().filter(f -> f instanceof AudioFrame a && a.sequenceHeader()).forEach(f -> assertEquals(
                    new AudioCodecInfo(AudioCodec.AAC, "mp4a.40.2", 2, 48000, 2),
                    CodecInfo.fromSequenceHeader((AudioFrame) f)));
        } finally {
            TestMedia.releaseAll(frames);
        }
    }

    /** NAL unit types of the first keyframe: x264 writes its SEI then the IDR slice; x265 a CRA (20). */
    @ParameterizedTest
    @CsvSource({
        "h264-aac-720p30-1s.flv,          6 755 5 33020",
        "h264-aac-1080p30-0.3s.flv,       6 755 5 70115",
        "video-only-2.1s.flv,             6 755 5 24726",
        "hevc-aac-720p30-enhanced-1s.flv, 20 32236",
    })
    void firstKeyframeNalUnits(String name, String expected) {
        List<MediaFrame> frames = TestMedia.frames(name);
        try {
            VideoFrame key = (VideoFrame) frames.stream()
                    .filter(f -> f instanceof VideoFrame v && v.isRandomAccessPoint()).findFirst().orElseThrow();
            ByteBuf p = key.payload();
            List<String> nals = new ArrayList<>();
            AnnexB.forEach(p, p.readerIndex() + key.dataOffset(), key.size() - key.dataOffset(), 4, key.codec(),
                    (type, offset, length) -> nals.add(type + " " + length));
            assertEquals(expected, String.join(" ", nals));
        } finally {
            TestMedia.releaseAll(frames);
        }
    }

    /** Every coded frame converts to Annex B (a start code replaces each 4-byte length) and every AAC frame gets an ADTS header. */
    @ParameterizedTest
    @FieldSource("ALL")
    void everyFrameConvertsToAnnexBAndAdts(String name) {
        List<MediaFrame> frames = TestMedia.frames(name);
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            int lengthSize = 0;
            AudioSpecificConfig asc = null;
            for (MediaFrame frame : frames) {
                ByteBuf p = frame.payload();
                int start = p.readerIndex() + frame.dataOffset();
                int length = frame.size() - frame.dataOffset();
                if (frame instanceof VideoFrame v && v.isSequenceHeader()) {
                    lengthSize = v.codec() == VideoCodec.AVC
                            ? AvcDecoderConfig.parse(p, start, length).nalUnitLengthSize()
                            : HevcDecoderConfig.parse(p, start, length).nalUnitLengthSize();
                } else if (frame instanceof VideoFrame v && v.kind() == VideoPacketKind.CODED_FRAME) {
                    out.clear();
                    assertEquals(length, AnnexB.convert(p, start, length, lengthSize, out));
                    assertEquals(1, out.getInt(0), "start code");
                } else if (frame instanceof AudioFrame a && a.sequenceHeader()) {
                    asc = AudioSpecificConfig.parse(p, start, length);
                } else if (frame instanceof AudioFrame) {
                    out.clear();
                    Adts.writeHeader(out, asc, length);
                    int frameLength = (out.getByte(3) & 0x03) << 11 | out.getUnsignedByte(4) << 3
                            | out.getUnsignedByte(5) >> 5; // aac_frame_length, 1.A.2.2.2
                    assertEquals(Adts.HEADER_LENGTH + length, frameLength);
                }
            }
        } finally {
            out.release();
            TestMedia.releaseAll(frames);
        }
    }

    @ParameterizedTest
    @FieldSource("ALL")
    void metadataComesFirst(String name) {
        List<MediaFrame> frames = TestMedia.frames(name);
        try {
            ScriptFrame metadata = (ScriptFrame) frames.get(0);
            assertTrue(metadata.isMetadata());
            assertEquals(0x02, metadata.payload().getByte(metadata.payload().readerIndex()));
        } finally {
            TestMedia.releaseAll(frames);
        }
    }
}
