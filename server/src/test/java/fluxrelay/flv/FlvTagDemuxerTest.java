package fluxrelay.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.codec.Hex;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tag header golden bytes (FLV v10.1 E.4.2/E.4.3/E.4.4, Enhanced RTMP v2) against what the demuxer reads. */
class FlvTagDemuxerTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            # --- legacy video: FrameType(4) CodecID(4) [AVCPacketType, SI24 CompositionTime] ---
            # key (1), AVC (7), sequence header
            9; 17 00 000000 01640028;            video AVC SEQUENCE_HEADER key cts=0 at=5
            # key AVC NALUs, composition time +67
            9; 17 01 000043 00000001 65;         video AVC CODED_FRAME key cts=67 at=5
            # inter (2), composition time -34 (SI24 ffffde)
            9; 27 01 ffffde 00000001 41;         video AVC CODED_FRAME inter cts=-34 at=5
            # end of sequence; a CompositionTime there is not a composition time
            9; 17 02 000011;                     video AVC END_OF_SEQUENCE key cts=0 at=5
            # sequence header flagged inter is still a keyframe
            9; 27 00 000000 01;                  video AVC SEQUENCE_HEADER key cts=0 at=5
            # CodecID 12: HEVC as some Chinese encoders send it, laid out like AVC
            9; 1c 00 000000 01;                  video HEVC SEQUENCE_HEADER key cts=0 at=5
            9; 2c 01 000021 00;                  video HEVC CODED_FRAME inter cts=33 at=5
            9; 22 ab;                            video SORENSON_H263 CODED_FRAME inter cts=0 at=1
            9; 13 ab;                            video SCREEN_VIDEO CODED_FRAME key cts=0 at=1
            9; 14 00 12;                         video VP6 CODED_FRAME key cts=0 at=1
            # disposable inter (3), VP6 with alpha
            9; 35 00 000004 ab;                  video VP6_ALPHA CODED_FRAME inter cts=0 at=1
            9; 26 ab;                            video SCREEN_VIDEO_2 CODED_FRAME inter cts=0 at=1
            # CodecID 8 is reserved: carried through
            9; 18 ab;                            video UNKNOWN OTHER key cts=0 at=1
            # video info/command frame (5): a UI8 command, no AVCPacketType
            9; 57 00;                            video AVC OTHER inter cts=0 at=1
            # --- Enhanced RTMP: IsExHeader(1) FrameType(3) PacketType(4), FourCC ---
            # SequenceStart 'hvc1'
            9; 90 68766331 01;                   video HEVC SEQUENCE_HEADER key cts=0 at=5
            # CodedFrames: SI24 composition time for hvc1 and avc1
            9; 91 68766331 000043 00000001;      video HEVC CODED_FRAME key cts=67 at=8
            9; a1 61766331 fffffe 00;            video AVC CODED_FRAME inter cts=-2 at=8
            # CodedFramesX: no composition time field
            9; a3 68766331 00000001;             video HEVC CODED_FRAME inter cts=0 at=5
            # av01 and vp09 CodedFrames carry no composition time
            9; 91 61763031 0a0b;                 video AV1 CODED_FRAME key cts=0 at=5
            9; a1 76703039 ab;                   video VP9 CODED_FRAME inter cts=0 at=5
            9; 90 76703039 01;                   video VP9 SEQUENCE_HEADER key cts=0 at=5
            9; 92 68766331;                      video HEVC END_OF_SEQUENCE key cts=0 at=5
            # Metadata (4) with FrameType 5, as ffmpeg 7.1 writes colorInfo: frame type ignored
            9; d4 68766331 02 0009 636f6c6f72496e666f; video HEVC OTHER inter cts=0 at=5
            # MPEG2TSSequenceStart (5): not a decoder config record
            9; 95 61763031 01;                   video AV1 OTHER key cts=0 at=5
            # unknown FourCC 'vp08'
            9; 90 76703038 01;                   video UNKNOWN OTHER key cts=0 at=5
            # command frame: a UI8 command, no FourCC
            9; d0 01;                            video UNKNOWN OTHER inter cts=0 at=1
            # Multitrack (6), OneTrack (0) with CodedFrames (1), FourCC, then track id 0
            9; 96 01 68766331 00 000000;         video HEVC OTHER key cts=0 at=6
            # Multitrack, ManyTracksManyCodecs (2): FourCC per track, none here
            9; 96 21 00 61766331;                video UNKNOWN OTHER key cts=0 at=2
            # ModEx (7): size 2+1, 3 data bytes, then ModExType 0 / PacketType CodedFrames
            9; 97 02 aabbcc 01 68766331 000010 ff; video HEVC CODED_FRAME key cts=16 at=13
            # ModEx with the 16-bit size escape (UI8 255 -> UI16 + 1 = 2), then CodedFramesX
            9; 97 ff 0001 aabb 03 68766331;      video HEVC CODED_FRAME key cts=0 at=11
            # --- legacy audio: SoundFormat(4) SoundRate(2) SoundSize(1) SoundType(1) [AACPacketType] ---
            8; af 00 1190;                       audio AAC seq at=2
            8; af 01 2100;                       audio AAC raw at=2
            8; 2f fffb;                          audio MP3 raw at=1
            # --- Enhanced audio: SoundFormat 9, AudioPacketType(4), FourCC ---
            8; 90 6d703461 1190;                 audio AAC seq at=5
            8; 91 4f707573 fc;                   audio OPUS raw at=5
            8; 90 664c6143 00;                   audio FLAC seq at=5
            8; 91 2e6d7033 fffb;                 audio MP3 raw at=5
            8; 91 61632d33 0b77;                 audio AC3 raw at=5
            8; 91 65632d33 0b77;                 audio EAC3 raw at=5
            8; 91 61626364 00;                   audio UNKNOWN raw at=5
            # SequenceEnd (2) and MultichannelConfig (4) carry no codec data: UNKNOWN
            8; 92 6d703461;                      audio UNKNOWN raw at=5
            8; 94 4f707573 01 02 00000003;       audio UNKNOWN raw at=5
            # Multitrack (5), OneTrack, CodedFrames, 'mp4a', track 0
            8; 95 01 6d703461 00 21;             audio UNKNOWN raw at=6
            8; 95 21 00 6d703461;                audio UNKNOWN raw at=2
            # ModEx: 3 data bytes (TimestampOffsetNano), then CodedFrames
            8; 97 02 000102 01 4f707573 fc;      audio OPUS raw at=10
            """)
    void readsTagHeaders(int type, String body, String expected) {
        MediaFrame frame = FlvTagDemuxer.demux(type, 1000, Hex.buf(body));
        try {
            assertEquals(expected, TestMedia.describe(frame));
            assertEquals(1000, frame.timestamp());
            assertEquals(Hex.bytes(body).length, frame.size(), "payload untouched");
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        // byte, codec (FLV E.4.2.1 SoundFormat)
        "0e, LINEAR_PCM_PLATFORM", "1e, ADPCM", "3e, LINEAR_PCM_LE", "42, NELLYMOSER_16K", "52, NELLYMOSER_8K",
        "6e, NELLYMOSER", "72, G711_ALAW", "82, G711_MULAW", "b2, SPEEX", "c2, UNKNOWN", "d2, UNKNOWN",
        "e2, MP3_8K", "f2, DEVICE_SPECIFIC",
    })
    void mapsSoundFormats(String first, AudioCodec codec) {
        AudioFrame frame = (AudioFrame) FlvTagDemuxer.demux(8, 0, Hex.buf(first + "00"));
        try {
            assertEquals(codec, frame.codec());
            assertEquals(1, frame.dataOffset());
        } finally {
            frame.release();
        }
    }

    @Test
    void keepsOnMetaDataAsItIs() {
        String body = "02 000a 6f6e4d65746144617461 | 08 00000000 000009"; // "onMetaData", empty ECMA array
        ScriptFrame frame = (ScriptFrame) FlvTagDemuxer.demux(18, 0, Hex.buf(body));
        try {
            assertEquals("onMetaData", frame.name());
            assertTrue(frame.isMetadata());
            assertEquals(Hex.of(Hex.bytes(body)), Hex.of(frame.payload()));
        } finally {
            frame.release();
        }
    }

    @Test
    void stripsSetDataFrame() {
        ByteBuf body = Hex.buf("02 000d 40736574446174614672616d65" // "@setDataFrame"
                + "02 000a 6f6e4d65746144617461 | 08 00000001 0005 7769647468 00 4094000000000000 000009");
        ScriptFrame frame = (ScriptFrame) FlvTagDemuxer.demux(18, 0, body);
        try {
            assertEquals("onMetaData", frame.name());
            assertSame(body, frame.payload(), "no copy");
            assertEquals("02000a6f6e4d65746144617461080000000100057769647468004094000000000000000009",
                    Hex.of(frame.payload()));
        } finally {
            frame.release();
        }
    }

    @Test
    void readsOtherScriptNames() {
        ScriptFrame frame = (ScriptFrame) FlvTagDemuxer.demux(18, 0, Hex.buf("02 0007 6f6e4375655074 05"));
        try {
            assertEquals("onCuePt", frame.name());
            assertTrue(!frame.isMetadata());
        } finally {
            frame.release();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', textBlock = """
            8;  '';                             empty body in tag of type 8
            9;  '';                             empty body in tag of type 9
            18; '';                             empty body in tag of type 18
            10; 00;                             unknown tag type 10
            9;  17 00 0000;                     truncated at CompositionTime (3 bytes needed, 2 left)
            9;  17;                             truncated at AVCPacketType
            9;  17 03 000000;                   AVCPacketType 3
            9;  07 00 000000;                   reserved frame type 0
            9;  67 00 000000;                   reserved frame type 6
            9;  f1 68766331;                    reserved frame type 7
            9;  57;                             truncated at video command
            9;  90 6876;                        truncated at FourCC (4 bytes needed, 2 left)
            9;  91 68766331 00;                 truncated at CompositionTime
            9;  97 05 0000;                     truncated at modExData (6 bytes needed, 2 left)
            9;  97 ff 00;                       truncated at modExDataSize
            9;  97 00 00;                       truncated at videoPacketModExType
            9;  96;                             truncated at videoMultitrackType
            9;  96 01 6876;                     truncated at FourCC
            8;  af;                             truncated at AACPacketType
            8;  af 02 00;                       AACPacketType 2
            8;  90 6d70;                        truncated at FourCC
            8;  97 01;                          truncated at modExData
            8;  95;                             truncated at audioMultitrackType
            18; 00 00;                          AMF0 type marker 0 where a string name should be
            18; 02 0010 6f6e;                   truncated at AMF0 string (16 bytes needed, 2 left)
            18; 02;                             truncated at AMF0 string length
            18; 02 000d 40736574446174614672616d65; truncated at AMF0 type marker
            18; 02 000d 40736574446174614672616d65 08 00000000; AMF0 type marker 8 where a string name should be
            """)
    void rejectsMalformedTagsAndReleasesTheBody(int type, String body, String message) {
        ByteBuf buf = Hex.buf(body);
        FlvFormatException e = assertThrows(FlvFormatException.class, () -> FlvTagDemuxer.demux(type, 0, buf));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(0, buf.refCnt(), "body released");
    }
}
