package fluxrelay.media.codec;

import fluxrelay.media.VideoCodec;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Length-prefixed NAL units (ISO/IEC 14496-15 sample format, as in FLV/RTMP frames) and their
 * Annex B byte stream form (H.264 / H.265 Annex B: a start code before each NAL unit), which
 * MPEG-TS needs.
 *
 * <p>All reads are absolute: the source buffer's indexes never move. Lengths are checked against
 * the bytes that remain before anything is written, so a malformed frame writes nothing.
 * Zero-length NAL units are skipped.
 */
public final class AnnexB {

    private static final int START_CODE = 0x00000001;

    private AnnexB() {
    }

    /**
     * Visits each NAL unit of {@code length} bytes at {@code offset} in {@code src}, in order,
     * without allocating.
     *
     * @param codec {@link VideoCodec#AVC} or {@link VideoCodec#HEVC}, which says how to read the NAL type
     * @param nalLengthSize the length prefix size from the decoder config: 1, 2 or 4
     * @return the number of NAL units visited
     * @throws CodecFormatException when a length prefix or NAL unit runs past the region
     */
    public static int forEach(ByteBuf src, int offset, int length, int nalLengthSize, VideoCodec codec,
                              NalUnitVisitor visitor) {
        checkArguments(src, offset, length, nalLengthSize);
        if (codec != VideoCodec.AVC && codec != VideoCodec.HEVC) {
            throw new IllegalArgumentException("no NAL units in " + codec);
        }
        int end = offset + length;
        int index = offset;
        int count = 0;
        while (index < end) {
            int nalLength = readLength(src, index, end, nalLengthSize);
            index += nalLengthSize;
            if (nalLength > 0) {
                int header = src.getUnsignedByte(index);
                visitor.visit(codec == VideoCodec.AVC ? header & 0x1F : (header >> 1) & 0x3F, index, nalLength);
                count++;
            }
            index += nalLength;
        }
        return count;
    }

    /**
     * Writes the NAL units of {@code length} bytes at {@code offset} in {@code src} to {@code out},
     * each after a 4-byte start code.
     *
     * @return the number of bytes written
     * @throws CodecFormatException when a length prefix or NAL unit runs past the region; nothing is written then
     */
    public static int convert(ByteBuf src, int offset, int length, int nalLengthSize, ByteBuf out) {
        checkArguments(src, offset, length, nalLengthSize);
        int end = offset + length;
        long outputLength = 0;
        for (int index = offset; index < end; ) {
            int nalLength = readLength(src, index, end, nalLengthSize);
            index += nalLengthSize + nalLength;
            outputLength += nalLength == 0 ? 0 : 4 + nalLength;
        }
        if (outputLength > Integer.MAX_VALUE - 8) {
            throw new CodecFormatException("Annex B output of " + outputLength + " bytes is too large");
        }
        out.ensureWritable((int) outputLength);
        for (int index = offset; index < end; ) {
            int nalLength = readLength(src, index, end, nalLengthSize);
            index += nalLengthSize;
            if (nalLength > 0) {
                out.writeInt(START_CODE);
                out.writeBytes(src, index, nalLength);
            }
            index += nalLength;
        }
        return (int) outputLength;
    }

    /** Writes parameter sets (as held by a decoder config) to {@code out}, each after a 4-byte start code. */
    public static void writeNalUnits(List<byte[]> nalUnits, ByteBuf out) {
        for (byte[] nal : nalUnits) {
            out.writeInt(START_CODE);
            out.writeBytes(nal);
        }
    }

    private static void checkArguments(ByteBuf src, int offset, int length, int nalLengthSize) {
        if (nalLengthSize != 1 && nalLengthSize != 2 && nalLengthSize != 4) {
            throw new IllegalArgumentException("NAL length size must be 1, 2 or 4: " + nalLengthSize);
        }
        if (offset < 0 || length < 0 || offset > src.capacity() - length) {
            throw new IllegalArgumentException("region " + offset + "+" + length + " outside buffer of " + src.capacity());
        }
    }

    /** The length prefix at {@code index}, checked against the bytes before {@code end}. */
    private static int readLength(ByteBuf src, int index, int end, int size) {
        int left = end - index;
        if (left < size) {
            throw new CodecFormatException("NAL unit length prefix cut off: " + left + " of " + size + " bytes");
        }
        long nalLength = switch (size) {
            case 1 -> src.getUnsignedByte(index);
            case 2 -> src.getUnsignedShort(index);
            default -> src.getUnsignedInt(index);
        };
        if (nalLength > left - size) {
            throw new CodecFormatException("NAL unit of " + nalLength + " bytes, only " + (left - size) + " left");
        }
        return (int) nalLength;
    }
}
