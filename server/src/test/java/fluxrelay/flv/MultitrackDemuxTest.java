package fluxrelay.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.codec.AvcDecoderConfig;
import fluxrelay.media.codec.Hex;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Enhanced RTMP v2 multitrack messages (the three AvMultitrackTypes, audio and video, behind ModEx)
 * against the frames {@link FlvTagDemuxer#demuxTracks} makes: track id, what the frame is, and the
 * single-track tag body written for it.
 */
class MultitrackDemuxTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            # --- video: IsExHeader(1) FrameType(3) PacketType 6, then AvMultitrackType(4) PacketType(4) ---
            # OneTrack (0), CodedFrames (1), 'avc1', track 1: data runs to the end, starts with SI24 CompositionTime
            9; 96 01 61766331 01 000010 00000001 65; 1 video AVC CODED_FRAME key cts=16 at=5 = 17 01 000010 00000001 65
            # OneTrack, CodedFramesX (3) as FFmpeg 8.1 writes its second track: legacy AVC with CompositionTime 0
            9; a6 03 61766331 01 0000000141; 1 video AVC CODED_FRAME inter cts=0 at=5 = 27 01 000000 0000000141
            # ManyTracks (1), SequenceStart (0), 'hvc1': track 0 of 2 bytes, track 1 of 1 byte
            9; 96 10 68766331 00 000002 0102 01 000001 03; 0 video HEVC SEQUENCE_HEADER key cts=0 at=5 = 90 68766331 0102 | 1 video HEVC SEQUENCE_HEADER key cts=0 at=5 = 90 68766331 03
            # ManyTracksManyCodecs (2), CodedFrames: 'avc1' track 0 (inter, cts 33), then 'hvc1' track 2
            9; a6 21 61766331 00 000006 000021 aabbcc 68766331 02 000004 000000 dd; 0 video AVC CODED_FRAME inter cts=33 at=5 = 27 01 000021 aabbcc | 2 video HEVC CODED_FRAME inter cts=0 at=8 = a1 68766331 000000 dd
            # 'av01' passes through as a single-track enhanced body
            9; 96 11 61763031 00 000002 0a0b 03 000001 0c; 0 video AV1 CODED_FRAME key cts=0 at=5 = 91 61763031 0a0b | 3 video AV1 CODED_FRAME key cts=0 at=5 = 91 61763031 0c
            # ModEx (7): 3 bytes of TimestampOffsetNano, then ModExType 0 / PacketType Multitrack (6)
            9; 97 02 000102 06 01 61766331 01 000000 65; 1 video AVC CODED_FRAME key cts=0 at=5 = 17 01 000000 65
            # --- audio: SoundFormat 9, AudioPacketType 5, then AvMultitrackType(4) PacketType(4) ---
            # OneTrack, SequenceStart, 'mp4a', track 1: legacy AAC header
            8; 95 00 6d703461 01 1208; 1 audio AAC seq at=2 = af 00 1208
            # OneTrack MultichannelConfig (4), as FFmpeg 8.1 sends it: no codec data to read
            8; 95 04 6d703461 01 01 00000000; 1 audio UNKNOWN raw at=5 = 94 6d703461 01 00000000
            # ManyTracks, CodedFrames, 'Opus'
            8; 95 11 4f707573 00 000001 fc 01 000002 fcfd; 0 audio OPUS raw at=5 = 91 4f707573 fc | 1 audio OPUS raw at=5 = 91 4f707573 fcfd
            # ManyTracksManyCodecs: 'mp4a' track 0, 'Opus' track 5
            8; 95 21 6d703461 00 000001 21 4f707573 05 000001 fc; 0 audio AAC raw at=2 = af 01 21 | 5 audio OPUS raw at=5 = 91 4f707573 fc
            # ModEx in front of an audio multitrack message
            8; 97 02 000102 05 01 6d703461 02 21; 2 audio AAC raw at=2 = af 01 21
            # --- not multitrack: one frame of track 0 with the body as it came ---
            9; 17 01 000043 00000001 65; 0 video AVC CODED_FRAME key cts=67 at=5 = 17 01 000043 00000001 65
            8; 91 4f707573 fc; 0 audio OPUS raw at=5 = 91 4f707573 fc
            """)
    void splitsMultitrackMessages(int type, String body, String expected) {
        ByteBuf buf = Hex.buf(body);
        List<MediaFrame> frames = FlvTagDemuxer.demuxTracks(type, 1000, buf);
        try {
            List<String> described = new ArrayList<>();
            for (MediaFrame frame : frames) {
                assertEquals(1000, frame.timestamp());
                described.add(track(frame) + " " + TestMedia.describe(frame) + " = " + Hex.of(frame.payload()));
            }
            assertEquals(expected.replace(" ", ""), String.join("|", described).replace(" ", ""));
        } finally {
            TestMedia.releaseAll(frames);
        }
        assertEquals(0, buf.refCnt(), "the message is released with its last frame");
    }

    @Test
    void singleTrackMessagesKeepTheirBody() {
        ByteBuf buf = Hex.buf("17 01 000043 00000001 65");
        List<MediaFrame> frames = FlvTagDemuxer.demuxTracks(FlvTagDemuxer.VIDEO, 0, buf);
        assertEquals(1, frames.size());
        assertSame(buf, frames.get(0).payload());
        TestMedia.releaseAll(frames);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            9; 96 31 61766331 00;                               reserved AvMultitrackType 3
            9; 96 06 61766331 00;                               packet type 6 inside a multitrack message
            9; 96 07 61766331 00;                               packet type 7 inside a multitrack message
            8; 95 05 6d703461 00;                               packet type 5 inside a multitrack message
            8; 95 41 6d703461 00;                               reserved AvMultitrackType 4
            9; 96 11 61766331 00 000005 aa;                     truncated at track 0 data (5 bytes needed, 1 left)
            9; 96 11 61766331 00 000001 aa 00 000001 bb;        track 0 twice in one multitrack message
            9; 96 11 61766331;                                  truncated at trackId
            9; 96 11 61766331 00 0000;                          truncated at sizeOfTrack
            9; 96 11 6176;                                      truncated at FourCC
            9; 96 21 61766331 00 000001 aa 6176;                truncated at track FourCC
            9; 96 01 61766331 01 0000;                          truncated at track 1 CompositionTime
            9; 96;                                              truncated at videoMultitrackType
            9; 97 02 0001;                                      truncated at modExData
            8; 95;                                              truncated at audioMultitrackType
            # a reserved frame type, found when the track's body is read
            9; 86 13 61766331 00 000001 aa 01 000001 bb;        reserved frame type 0
            # track 1's HEVC CodedFrames lacks the composition time: track 0's frame is released too
            9; 96 11 68766331 00 000003 000000 01 000001 bb;    truncated at CompositionTime
            """)
    void refusesMalformedMultitrackMessages(int type, String body, String message) {
        ByteBuf buf = Hex.buf(body);
        FlvFormatException e = assertThrows(FlvFormatException.class, () -> FlvTagDemuxer.demuxTracks(type, 0, buf));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(0, buf.refCnt(), "body released");
    }

    @Test
    void mutatedMultitrackMessagesFailOnlyWithFormatErrorsAndLeakNothing() {
        Random random = new Random(0x7EAC_5EEDL);
        byte[][] seeds = {
            Hex.bytes("a6 21 61766331 00 000006 000021 aabbcc 68766331 02 000004 000000 dd"),
            Hex.bytes("95 11 4f707573 00 000001 fc 01 000002 fcfd"),
            Hex.bytes("97 02 000102 06 11 61766331 01 000004 000000 65 02 000003 000001")
        };
        int accepted = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] bytes = seeds[round % seeds.length].clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? random.nextInt(bytes.length) + 1 : bytes.length;
            ByteBuf buf = Hex.buf(java.util.Arrays.copyOf(bytes, length));
            int type = bytes[0] >> 4 == 9 ? FlvTagDemuxer.AUDIO : FlvTagDemuxer.VIDEO;
            try {
                List<MediaFrame> frames = FlvTagDemuxer.demuxTracks(type, 0, buf);
                accepted++;
                TestMedia.releaseAll(frames);
            } catch (FlvFormatException expected) {
                // a format error is the only failure allowed
            }
            assertEquals(0, buf.refCnt(), "round " + round);
        }
        assertTrue(accepted > 0, "some mutations stay valid");
    }

    /** FFmpeg 8.1's two H.264 and two AAC tracks: every tag splits, track 1 is the 160x120 rendition. */
    @Test
    void realFfmpegMultitrackCaptureSplitsIntoItsTracks() {
        Map<String, Integer> counts = new TreeMap<>();
        ByteBuf file = TestMedia.load("h264x2-aac-x2-multitrack-4s.flv");
        try {
            for (FlvTag tag : FlvReader.readAll(file)) {
                for (MediaFrame frame : tag.toFrames()) {
                    try {
                        String kind = frame instanceof VideoFrame v ? "video" + v.track() + " " + v.codec() + " " + v.kind()
                                : frame instanceof AudioFrame a ? "audio" + a.track() + " " + a.codec()
                                        + (a.sequenceHeader() ? " seq" : "") : "script";
                        counts.merge(kind, 1, Integer::sum);
                        if (frame instanceof VideoFrame v && v.isSequenceHeader()) {
                            AvcDecoderConfig config = AvcDecoderConfig.parse(v.payload(), v.dataOffset(),
                                    v.size() - v.dataOffset());
                            assertEquals(VideoCodec.AVC, v.codec());
                            assertEquals(v.track() == 0 ? 320 : 160, config.firstSps().width());
                            assertEquals(v.track() == 0 ? 240 : 120, config.firstSps().height());
                        }
                    } finally {
                        frame.release();
                    }
                }
            }
        } finally {
            file.release();
        }
        assertEquals("{audio0 AAC=174, audio0 AAC seq=1, audio1 AAC=174, audio1 AAC seq=1, audio1 UNKNOWN=1, "
                + "script=1, video0 AVC CODED_FRAME=100, video0 AVC END_OF_SEQUENCE=2, video0 AVC SEQUENCE_HEADER=1, "
                + "video1 AVC CODED_FRAME=100, video1 AVC SEQUENCE_HEADER=1}", counts.toString());
    }

    private static int track(MediaFrame frame) {
        if (frame instanceof VideoFrame video) {
            return video.track();
        }
        return frame instanceof AudioFrame audio ? audio.track() : 0;
    }
}
