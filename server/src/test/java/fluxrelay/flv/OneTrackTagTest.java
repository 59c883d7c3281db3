package fluxrelay.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.codec.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Single-track tag bodies written as OneTrack multitrack messages ({@link OneTrackTag}), byte for byte, and read back
 * by our own multitrack parser ({@link FlvTagDemuxer#demuxTracks}, {@link Multitrack}): the track id and the body a
 * player of that track needs.
 */
class OneTrackTagTest {

    /** Type (9 video, 8 audio); the body; the track; the OneTrack message; the body read back ({@code =}: the same). */
    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            # legacy AVC keyframe, CodedFrames with CompositionTime 0x21: 0x96 = IsExHeader, key (1), Multitrack (6);
            # 0x01 = OneTrack (0) and CodedFrames (1); 'avc1'; track 1; the SI24 CompositionTime stays in front of the data
            9; 17 01 000021 00000001 65; 1; 96 01 61766331 01 000021 00000001 65; =
            # legacy AVC sequence header (AVCPacketType 0): SequenceStart (0), the decoder configuration record alone
            9; 17 00 000000 01640028ff; 2; 96 00 61766331 02 01640028ff; =
            # legacy AVC inter frame: 0xa6 = IsExHeader, inter (2), Multitrack
            9; 27 01 000000 0000000141; 3; a6 01 61766331 03 000000 0000000141; =
            # legacy AVC end of sequence: SequenceEnd (2), no data
            9; 17 02 000000; 1; 96 02 61766331 01; =
            # HEVC under CodecID 12 becomes 'hvc1' and reads back as the enhanced single-track body
            9; 1c 01 000000 aa; 1; 96 01 68766331 01 000000 aa; 91 68766331 000000 aa
            # enhanced single-track AV1 CodedFrames: the FourCC and the data as they were
            9; 91 61763031 0a0b; 4; 96 01 61763031 04 0a0b; =
            # enhanced HEVC SequenceStart, track 255
            9; 90 68766331 0102; 255; 96 00 68766331 ff 0102; =
            # legacy AAC: 0x95 = SoundFormat 9 (ExHeader), Multitrack (5); AudioSpecificConfig = SequenceStart (0), 'mp4a'
            8; af 00 1208; 1; 95 00 6d703461 01 1208; =
            # legacy AAC raw frame: CodedFrames (1)
            8; af 01 21 00; 1; 95 01 6d703461 01 2100; =
            # enhanced Opus CodedFrames
            8; 91 4f707573 fc; 2; 95 01 4f707573 02 fc; =
            """)
    void wrapsAndReadsBack(int type, String body, int track, String expected, String back) {
        boolean video = type == FlvTagDemuxer.VIDEO;
        ByteBuf in = Hex.buf(body);
        ByteBuf wrapped = OneTrackTag.wrap(video, in, track, ByteBufAllocator.DEFAULT);
        assertEquals(2, in.refCnt(), "the message holds one reference to the body");
        assertEquals(expected.replace(" ", ""), Hex.of(wrapped));
        assertEquals(0, in.readerIndex(), "the body's indexes are not moved");
        in.release();

        List<MediaFrame> frames = FlvTagDemuxer.demuxTracks(type, 40, wrapped);
        try {
            assertEquals(1, frames.size());
            MediaFrame frame = frames.get(0);
            assertEquals(track, video ? ((VideoFrame) frame).track() : ((AudioFrame) frame).track());
            assertEquals(40, frame.timestamp());
            assertEquals(("=".equals(back) ? body : back).replace(" ", ""), Hex.of(frame.payload()));
        } finally {
            TestMedia.releaseAll(frames);
        }
        assertEquals(0, in.refCnt(), "nothing leaks");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            # a legacy codec without a FourCC (VP6)
            9; 14 00 aa
            # a video command frame (frame type 5)
            9; 57 00 000000
            9; d5 61766331 00
            # already multitrack, ModEx, enhanced Metadata
            9; 96 01 61766331 01 00
            9; 97 02 000102 01 61766331
            9; 84 61766331 02
            # AVCPacketType 3 does not exist; too short
            9; 17 03 000000
            9; 17 01 00
            # legacy MP3 audio, an audio multitrack message, audio ModEx, too short
            8; 2f ff
            8; 95 01 6d703461 01 21
            8; 97 02 000102 01
            8; af
            8; 91 4f70
            """)
    void leavesOutWhatHasNoOneTrackForm(int type, String body) {
        ByteBuf in = Hex.buf(body);
        assertNull(OneTrackTag.wrap(type == FlvTagDemuxer.VIDEO, in, 1, ByteBufAllocator.DEFAULT));
        assertEquals(1, in.refCnt());
        in.release();
    }

    @Test
    void aTrackIdIsOneByte() {
        ByteBuf in = Hex.buf("af 01 21");
        assertThrows(IllegalArgumentException.class, () -> OneTrackTag.wrap(false, in, 256, ByteBufAllocator.DEFAULT));
        in.release();
    }
}
