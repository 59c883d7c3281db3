package fluxrelay.media.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Track summaries from frames as the FLV demuxer builds them (payload = whole tag body). */
class CodecInfoTest {

    @Test
    void avcFromLegacySequenceHeader() {
        VideoFrame frame = video(VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, 5,
                "17 00 000000" + AvcDecoderConfigTest.AVCC_720P);
        try {
            assertEquals(new VideoCodecInfo(VideoCodec.AVC, "avc1.64001f", "High", "3.1", 1280, 720, 30.0),
                    CodecInfo.fromSequenceHeader(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void hevcFromEnhancedSequenceStart() {
        VideoFrame frame = video(VideoCodec.HEVC, VideoPacketKind.SEQUENCE_HEADER, 5,
                "90 68766331" + HevcConfigTest.HVCC_720P);
        try {
            assertEquals(new VideoCodecInfo(VideoCodec.HEVC, "hvc1.1.6.L93.90", "Main", "3.1", 1280, 720, 30.0),
                    CodecInfo.fromSequenceHeader(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void unparsedVideoCodecs() {
        VideoFrame vp6 = video(VideoCodec.VP6, VideoPacketKind.CODED_FRAME, 1, "14 00 1234");
        VideoFrame av1 = video(VideoCodec.AV1, VideoPacketKind.SEQUENCE_HEADER, 5, "90 61763031 81 08 0c 00");
        try {
            VideoCodecInfo info = CodecInfo.fromSequenceHeader(vp6);
            assertEquals(new VideoCodecInfo(VideoCodec.VP6, "vp6", "", "", 0, 0, Double.NaN), info);
            assertEquals("av01", CodecInfo.fromSequenceHeader(av1).codecString());
        } finally {
            vp6.release();
            av1.release();
        }
    }

    @Test
    void codedFrameIsNotASequenceHeader() {
        VideoFrame frame = video(VideoCodec.AVC, VideoPacketKind.CODED_FRAME, 5, "27 01 000000 00000001 41");
        AudioFrame aac = audio(AudioCodec.AAC, false, 2, "af 01 21 00");
        try {
            assertThrows(IllegalArgumentException.class, () -> CodecInfo.fromSequenceHeader(frame));
            assertThrows(IllegalArgumentException.class, () -> CodecInfo.fromSequenceHeader(aac));
        } finally {
            frame.release();
            aac.release();
        }
    }

    @Test
    void everyTruncatedVideoSequenceHeaderIsAFormatError() {
        byte[] avc = Hex.bytes("17 00 000000" + AvcDecoderConfigTest.AVCC_720P);
        byte[] hevc = Hex.bytes("90 68766331" + HevcConfigTest.HVCC_720P);
        for (int length = 5; length < avc.length - 4; length++) { // the last 4 bytes are the optional tail
            VideoFrame frame = video(VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, 5,
                    Hex.of(Arrays.copyOf(avc, length)));
            try {
                assertThrows(CodecFormatException.class, () -> CodecInfo.fromSequenceHeader(frame));
            } finally {
                frame.release();
            }
        }
        for (int length = 5; length < hevc.length; length++) {
            VideoFrame frame = video(VideoCodec.HEVC, VideoPacketKind.SEQUENCE_HEADER, 5,
                    Hex.of(Arrays.copyOf(hevc, length)));
            try {
                assertThrows(CodecFormatException.class, () -> CodecInfo.fromSequenceHeader(frame));
            } finally {
                frame.release();
            }
        }
    }

    @Test
    void dataOffsetOutsideThePayload() {
        VideoFrame frame = video(VideoCodec.AVC, VideoPacketKind.SEQUENCE_HEADER, 5, "17 00 00");
        AudioFrame empty = audio(AudioCodec.MP3, false, 0, "");
        try {
            assertThrows(CodecFormatException.class, () -> CodecInfo.fromSequenceHeader(frame));
            assertThrows(CodecFormatException.class, () -> CodecInfo.fromSequenceHeader(empty));
        } finally {
            frame.release();
            empty.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        // codec,         seq,   offset, tag body,                                          codecs,     type, rate,  ch
        "AAC,             true,  2,      af 00 1190,                                        mp4a.40.2,  2,    48000, 2",
        // HE-AAC reports the SBR output rate
        "AAC,             true,  2,      af 00 2b1188,                                      mp4a.40.5,  5,    48000, 2",
        // Enhanced RTMP AAC: SoundFormat 9, SequenceStart, 'mp4a'
        "AAC,             true,  5,      90 6d703461 1190,                                  mp4a.40.2,  2,    48000, 2",
        // MP3, 44 kHz, 16 bit, stereo (2f)
        "MP3,             false, 1,      2f fffb9064,                                       mp4a.40.34, 0,    44100, 2",
        // Nellymoser 8 kHz mono: the rate bits are ignored
        "NELLYMOSER_8K,   false, 1,      52 00,                                             nellymoser8k, 0,  8000,  1",
        // Speex is 16 kHz mono whatever the bits say (FLV E.4.2.1)
        "SPEEX,           false, 1,      b2 00,                                             speex,      0,    16000, 1",
        // G.711 A-law is 8 kHz
        "G711_ALAW,       false, 1,      72 00,                                             alaw,       0,    8000,  1",
        // Enhanced Opus SequenceStart: OpusHead, version 1, 2 channels, pre-skip 312, 48000 Hz
        "OPUS,            true,  5,      90 4f707573 4f70757348656164 01 02 3801 80bb0000 0000 00, Opus, 0, 48000, 2",
        // Enhanced AC-3 coded frame: nothing to read
        "AC3,             false, 5,      91 61632d33 0b77,                                  ac-3,       0,    0,     0",
    })
    void audio(AudioCodec codec, boolean sequenceHeader, int offset, String body, String codecs, int type, int rate,
               int channels) {
        AudioFrame frame = audio(codec, sequenceHeader, offset, body);
        try {
            assertEquals(new AudioCodecInfo(codec, codecs, type, rate, channels), CodecInfo.fromSequenceHeader(frame));
        } finally {
            frame.release();
        }
    }

    @Test
    void shortOpusHeadIsAFormatError() {
        AudioFrame frame = audio(AudioCodec.OPUS, true, 5, "90 4f707573 4f70757348656164 01 02");
        try {
            assertThrows(CodecFormatException.class, () -> CodecInfo.fromSequenceHeader(frame));
        } finally {
            frame.release();
        }
    }

    private static VideoFrame video(VideoCodec codec, VideoPacketKind kind, int offset, String body) {
        return new VideoFrame(0, codec, kind, true, 0, offset, Hex.buf(body));
    }

    private static AudioFrame audio(AudioCodec codec, boolean sequenceHeader, int offset, String body) {
        ByteBuf payload = Hex.buf(body);
        return new AudioFrame(0, codec, sequenceHeader, offset, payload);
    }
}
