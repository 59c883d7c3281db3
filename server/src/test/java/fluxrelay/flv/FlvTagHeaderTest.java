package fluxrelay.flv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoCodec;
import fluxrelay.media.VideoFrame;
import fluxrelay.media.VideoPacketKind;
import fluxrelay.media.codec.Hex;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** FLV v10.1 E.2 file header, E.3 PreviousTagSize and E.4.1 tag header, as bytes. */
class FlvTagHeaderTest {

    @ParameterizedTest
    @CsvSource({
        // type, timestamp,    size,     TagType | DataSize | Timestamp | Extended | StreamID
        "9,      0,            50,       09 000032 000000 00 000000",
        "8,      46,           306,      08 000132 00002e 00 000000",
        // past 2^24 ms (4.6 hours) the upper byte goes to TimestampExtended
        "9,      305419896,    16777215, 09 ffffff 345678 12 000000",
        // the 32-bit FLV timestamp wraps
        "18,     4294967297,   0,        12 000000 000001 00 000000",
    })
    void writesTagHeader(int type, long timestamp, int size, String expected) {
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            FlvTagHeader.write(out, type, timestamp, size);
            assertEquals(Hex.of(Hex.bytes(expected)), Hex.of(out));
        } finally {
            out.release();
        }
    }

    @Test
    void writesFramesHeaderAndTrailer() {
        MediaFrame video = new VideoFrame(1000, VideoCodec.AVC, VideoPacketKind.CODED_FRAME, true, 0, 5,
                Hex.buf("1701000000"));
        MediaFrame audio = new AudioFrame(21, AudioCodec.AAC, false, 2, Hex.buf("af01"));
        MediaFrame script = new ScriptFrame(0, "onMetaData", Hex.buf("02000a6f6e4d65746144617461"));
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            for (MediaFrame frame : new MediaFrame[] {video, audio, script}) {
                FlvTagHeader.write(out, frame);
                FlvTagHeader.writePreviousTagSize(out, frame.size());
            }
            assertEquals(Hex.of(Hex.bytes("""
                    09 000005 0003e8 00 000000 | 00000010
                    08 000002 000015 00 000000 | 0000000d
                    12 00000d 000000 00 000000 | 00000018
                    """)), Hex.of(out));
        } finally {
            video.release();
            audio.release();
            script.release();
            out.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        // audio, video, expected: 'FLV', version 1, flags, DataOffset 9, PreviousTagSize0
        "true,  true,  464c56 01 05 00000009 00000000",
        "true,  false, 464c56 01 04 00000009 00000000",
        "false, true,  464c56 01 01 00000009 00000000",
    })
    void writesFileHeader(boolean audio, boolean video, String expected) {
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            FlvFileHeader.write(out, audio, video);
            assertEquals(Hex.of(Hex.bytes(expected)), Hex.of(out));
            assertEquals(FlvFileHeader.LENGTH_WITH_TAG_SIZE0, out.readableBytes());
        } finally {
            out.release();
        }
    }

    @Test
    void rejectsWhatATagHeaderCannotHold() {
        ByteBuf out = ByteBufAllocator.DEFAULT.heapBuffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> FlvTagHeader.write(out, 9, 0, 1 << 24));
            assertThrows(IllegalArgumentException.class, () -> FlvTagHeader.write(out, 9, 0, -1));
            assertThrows(IllegalArgumentException.class, () -> FlvTagHeader.write(out, 32, 0, 0));
            assertThrows(IllegalArgumentException.class, () -> FlvTagHeader.writePreviousTagSize(out, 1 << 24));
            assertEquals(0, out.readableBytes());
        } finally {
            out.release();
        }
    }
}
