package fluxrelay.media.codec;

import io.netty.buffer.ByteBuf;

/**
 * Bounded big-endian reads at absolute indexes of a {@link ByteBuf} region, for the decoder
 * configuration records. Never moves the buffer's indexes; every read checks the bytes left and
 * names the field in the {@link CodecFormatException} it throws.
 */
final class ByteCursor {

    private final ByteBuf buf;
    private final String structure;
    private final int end;
    private int index;

    ByteCursor(ByteBuf buf, int offset, int length, String structure) {
        if (offset < 0 || length < 0 || offset > buf.capacity() - length) {
            throw new IllegalArgumentException("region " + offset + "+" + length + " outside buffer of " + buf.capacity());
        }
        this.buf = buf;
        this.structure = structure;
        this.index = offset;
        this.end = offset + length;
    }

    int remaining() {
        return end - index;
    }

    int u8(String field) {
        need(1, field);
        return buf.getUnsignedByte(index++);
    }

    int u16(String field) {
        need(2, field);
        int value = buf.getUnsignedShort(index);
        index += 2;
        return value;
    }

    long u32(String field) {
        need(4, field);
        long value = buf.getUnsignedInt(index);
        index += 4;
        return value;
    }

    long u48(String field) {
        need(6, field);
        long value = ((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2);
        index += 6;
        return value;
    }

    /** Copies {@code length} bytes, after checking that many are left. */
    byte[] bytes(int length, String field) {
        need(length, field);
        byte[] out = new byte[length];
        buf.getBytes(index, out);
        index += length;
        return out;
    }

    void skip(int length, String field) {
        need(length, field);
        index += length;
    }

    CodecFormatException error(String message) {
        return new CodecFormatException(structure + ": " + message);
    }

    private void need(int length, String field) {
        if (length > end - index) {
            throw error("truncated at " + field + " (" + length + " bytes needed, " + (end - index) + " left)");
        }
    }
}
