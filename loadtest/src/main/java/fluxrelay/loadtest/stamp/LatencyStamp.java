package fluxrelay.loadtest.stamp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The publisher's send time carried inside each H.264 video frame as an SEI "user data unregistered"
 * message (ITU-T H.264 D.1.7 and D.2.7), so that a viewer of any relay, which forwards frames untouched,
 * can tell how long the frame took: receive time minus stamp.
 *
 * <p>The NAL unit is {@value #NAL_LENGTH} bytes: header {@code 0x06}, payload type 5, payload size 32, a
 * fixed 16-byte UUID, the send time as 16 upper-case hexadecimal digits of epoch microseconds, and the
 * RBSP trailing byte {@code 0x80}. Hex digits never form {@code 00 00}, so no emulation prevention byte is
 * needed and decoders that ignore unknown SEI play the frame as before.
 *
 * <p>It goes before the frame's first slice (H.264 7.4.1.2.3), in the AVCC form of FLV video tags
 * (FLV spec E.4.3.1: 5-byte AVC video tag header, then length-prefixed NAL units).
 */
public final class LatencyStamp {

    /** Length of the SEI NAL unit without its length prefix. */
    public static final int NAL_LENGTH = 36;
    /** Returned by {@link #read} when a frame carries no stamp. */
    public static final long NONE = -1;

    private static final int AVC_CODEC_ID = 7;
    private static final int AVC_HEADER_LENGTH = 5;
    private static final int NAL_SEI = 6;
    private static final int NAL_AUD = 9;
    private static final int SEI_USER_DATA_UNREGISTERED = 5;
    private static final int SEI_PAYLOAD_SIZE = 32;
    /** The load generator's UUID: "fluxrelayLoadClk" in ASCII (no zero bytes). */
    private static final byte[] UUID = "fluxrelayLoadClk".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private LatencyStamp() {
    }

    /** True for an AVC NALU tag body (codec 7, AVCPacketType 1) that can carry a stamp. */
    public static boolean isStampable(ByteBuf videoTag) {
        int at = videoTag.readerIndex();
        return videoTag.readableBytes() > AVC_HEADER_LENGTH
                && (videoTag.getUnsignedByte(at) & 0x0F) == AVC_CODEC_ID
                && videoTag.getUnsignedByte(at + 1) == 1;
    }

    /**
     * A copy of the tag body with a stamp NAL unit inserted before the first NAL unit that is not an
     * access unit delimiter. The input is borrowed (not released); the result is a new buffer.
     *
     * @param nalLengthSize size of the NAL length prefix (lengthSizeMinusOne + 1 of the decoder config)
     */
    public static ByteBuf insert(ByteBufAllocator alloc, ByteBuf videoTag, int nalLengthSize, long epochMicros) {
        int start = videoTag.readerIndex();
        int end = videoTag.writerIndex();
        int at = start + AVC_HEADER_LENGTH;
        while (at + nalLengthSize < end && (videoTag.getUnsignedByte(at + nalLengthSize) & 0x1F) == NAL_AUD) {
            at += nalLengthSize + (int) readLength(videoTag, at, nalLengthSize);
        }
        at = Math.min(at, end);
        ByteBuf out = alloc.buffer(videoTag.readableBytes() + nalLengthSize + NAL_LENGTH);
        out.writeBytes(videoTag, start, at - start);
        writeLength(out, nalLengthSize, NAL_LENGTH);
        out.writeByte(NAL_SEI).writeByte(SEI_USER_DATA_UNREGISTERED).writeByte(SEI_PAYLOAD_SIZE).writeBytes(UUID);
        for (int shift = 60; shift >= 0; shift -= 4) {
            out.writeByte(HEX[(int) (epochMicros >>> shift) & 0xF]);
        }
        out.writeByte(0x80);
        out.writeBytes(videoTag, at, end - at);
        return out;
    }

    /**
     * The stamp of a video tag body, or {@link #NONE}: looks at the NAL units before the first slice only,
     * reading with absolute indexes (nothing moves, nothing is allocated).
     *
     * @param from index of the tag body's first byte (the FLV video tag header)
     * @param to index after the last byte available (a prefix of the body is enough)
     */
    public static long read(ByteBuf buf, int from, int to, int nalLengthSize) {
        if (to - from <= AVC_HEADER_LENGTH || (buf.getUnsignedByte(from) & 0x0F) != AVC_CODEC_ID
                || buf.getUnsignedByte(from + 1) != 1) {
            return NONE;
        }
        int at = from + AVC_HEADER_LENGTH;
        while (at + nalLengthSize < to) {
            long length = readLength(buf, at, nalLengthSize);
            int nal = at + nalLengthSize;
            int type = buf.getUnsignedByte(nal) & 0x1F;
            if (type == NAL_SEI && length == NAL_LENGTH && nal + NAL_LENGTH <= to) {
                long stamp = stampAt(buf, nal);
                if (stamp != NONE) {
                    return stamp;
                }
            } else if (type >= 1 && type <= 5) {
                return NONE;
            }
            if (length > to - nal) {
                return NONE;
            }
            at = nal + (int) length;
        }
        return NONE;
    }

    /** The NAL length prefix size announced by an AVC sequence header tag body, or 4 when unreadable. */
    public static int nalLengthSize(ByteBuf buf, int from, int to) {
        // 5-byte tag header, then AVCDecoderConfigurationRecord: version, profile, compat, level, lengthSizeMinusOne.
        int at = from + AVC_HEADER_LENGTH + 4;
        return at < to ? (buf.getUnsignedByte(at) & 0x03) + 1 : 4;
    }

    private static long stampAt(ByteBuf buf, int nal) {
        if (buf.getUnsignedByte(nal + 1) != SEI_USER_DATA_UNREGISTERED || buf.getUnsignedByte(nal + 2) != SEI_PAYLOAD_SIZE) {
            return NONE;
        }
        for (int i = 0; i < UUID.length; i++) {
            if (buf.getByte(nal + 3 + i) != UUID[i]) {
                return NONE;
            }
        }
        long value = 0;
        for (int i = nal + 3 + UUID.length, end = i + 16; i < end; i++) {
            int c = buf.getUnsignedByte(i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0) {
                return NONE;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static long readLength(ByteBuf buf, int at, int size) {
        long length = 0;
        for (int i = 0; i < size; i++) {
            length = length << 8 | buf.getUnsignedByte(at + i);
        }
        return length;
    }

    private static void writeLength(ByteBuf out, int size, int length) {
        for (int shift = (size - 1) * 8; shift >= 0; shift -= 8) {
            out.writeByte(length >>> shift);
        }
    }
}
