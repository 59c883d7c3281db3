package fluxrelay.flv;

import io.netty.buffer.ByteBuf;

/**
 * Bounded big-endian reads through a tag body at absolute indexes, from its reader index to its
 * writer index. The body's indexes do not move; running out of bytes throws
 * {@link FlvFormatException} naming the field.
 */
final class TagCursor {

    private final ByteBuf body;
    private final String what;
    private final int start;
    private final int end;
    private int index;

    TagCursor(ByteBuf body, String what) {
        this.body = body;
        this.what = what;
        this.start = body.readerIndex();
        this.end = body.writerIndex();
        this.index = start;
    }

    /** Bytes read so far: the offset of the next field from the body's reader index. */
    int offset() {
        return index - start;
    }

    int u8(String field) {
        need(1, field);
        return body.getUnsignedByte(index++);
    }

    int u16(String field) {
        need(2, field);
        int value = body.getUnsignedShort(index);
        index += 2;
        return value;
    }

    /** UI24, as a multitrack track size (Enhanced RTMP v2). */
    int u24(String field) {
        need(3, field);
        int value = body.getUnsignedMedium(index);
        index += 3;
        return value;
    }

    /** Bytes left before the end of the body. */
    int remaining() {
        return end - index;
    }

    /** SI24, as the composition time offset (FLV E.4.3.1). */
    int si24(String field) {
        need(3, field);
        int value = body.getMedium(index);
        index += 3;
        return value;
    }

    int u32(String field) {
        need(4, field);
        int value = body.getInt(index);
        index += 4;
        return value;
    }

    void skip(int length, String field) {
        need(length, field);
        index += length;
    }

    /** A UTF-8 string of {@code length} bytes. */
    String utf8(int length, String field) {
        need(length, field);
        String value = body.toString(index, length, java.nio.charset.StandardCharsets.UTF_8);
        index += length;
        return value;
    }

    FlvFormatException error(String message) {
        return new FlvFormatException(what + ": " + message);
    }

    private void need(int length, String field) {
        if (length > end - index) {
            throw error("truncated at " + field + " (" + length + " bytes needed, " + (end - index) + " left)");
        }
    }
}
