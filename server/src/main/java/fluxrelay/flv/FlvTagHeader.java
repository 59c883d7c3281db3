package fluxrelay.flv;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import io.netty.buffer.ByteBuf;

/**
 * Writes the framing around an FLV tag body (FLV spec v10.1 E.4.1 FLVTAG, E.3 PreviousTagSize):
 * the 11-byte tag header before it and the 4-byte PreviousTagSize after it.
 *
 * <p>Only the framing is written; the body is never copied. A muxer writes a header buffer, then
 * a retained view of the frame's payload, then the trailer.
 */
public final class FlvTagHeader {

    /** Tag header length: TagType, DataSize, Timestamp, TimestampExtended, StreamID. */
    public static final int LENGTH = 11;
    /** PreviousTagSize length. */
    public static final int TRAILER_LENGTH = 4;
    /** Largest DataSize a UI24 holds. */
    public static final int MAX_DATA_SIZE = 0xFFFFFF;

    private FlvTagHeader() {
    }

    /**
     * Writes a tag header. The timestamp is written modulo 2^32: its low 24 bits, then the
     * upper 8 bits in TimestampExtended.
     *
     * @param tagType 8 audio, 9 video, 18 script data
     * @param dataSize body length in bytes
     */
    public static void write(ByteBuf out, int tagType, long timestamp, int dataSize) {
        if (tagType < 0 || tagType > 0x1F) {
            throw new IllegalArgumentException("tag type " + tagType);
        }
        if (dataSize < 0 || dataSize > MAX_DATA_SIZE) {
            throw new IllegalArgumentException("tag data size " + dataSize + " outside 0.." + MAX_DATA_SIZE);
        }
        out.writeByte(tagType); // reserved 0, Filter 0 (not encrypted), TagType
        out.writeMedium(dataSize);
        out.writeMedium((int) timestamp); // low 24 bits
        out.writeByte((int) (timestamp >>> 24)); // TimestampExtended
        out.writeMedium(0); // StreamID
    }

    /** Writes the tag header for a frame: its tag type, timestamp and payload size. */
    public static void write(ByteBuf out, MediaFrame frame) {
        write(out, tagType(frame), frame.timestamp(), frame.size());
    }

    /** Writes the PreviousTagSize that follows a tag with a body of {@code dataSize} bytes. */
    public static void writePreviousTagSize(ByteBuf out, int dataSize) {
        if (dataSize < 0 || dataSize > MAX_DATA_SIZE) {
            throw new IllegalArgumentException("tag data size " + dataSize + " outside 0.." + MAX_DATA_SIZE);
        }
        out.writeInt(LENGTH + dataSize);
    }

    /** The FLV tag type that carries a frame. */
    public static int tagType(MediaFrame frame) {
        if (frame instanceof VideoFrame) {
            return FlvTagDemuxer.VIDEO;
        }
        return frame instanceof AudioFrame ? FlvTagDemuxer.AUDIO : FlvTagDemuxer.SCRIPT;
    }
}
