package fluxrelay.rtmp.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The bounded cursor both readers decode through: every read checks the bytes that remain, every
 * length and count is checked against the {@link AmfLimits} before anything is allocated, and the
 * depth and expanded-size budgets of one message are kept here. Failures are {@link AmfException}s
 * carrying the reader index.
 *
 * <p>Does not retain or release the bound buffer; only moves its reader index.
 */
final class AmfInput {

    private final AmfLimits limits;
    private ByteBuf buf;
    private int depth;
    private long elements;
    private long bytes;

    AmfInput(AmfLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    AmfLimits limits() {
        return limits;
    }

    /** Points the cursor at {@code in} and clears the nesting depth. */
    void bind(ByteBuf in) {
        this.buf = in;
        this.depth = 0;
    }

    /** Clears the message budgets; called with the reference tables' reset. */
    void resetBudget() {
        elements = 0;
        bytes = 0;
        depth = 0;
    }

    int offset() {
        return buf.readerIndex();
    }

    int remaining() {
        return buf.readableBytes();
    }

    AmfException fail(String what) {
        return fail(what, buf.readerIndex());
    }

    AmfException fail(String what, int offset) {
        return new AmfException(what + " at byte offset " + offset, offset);
    }

    void need(long n, String what) {
        if (n > buf.readableBytes()) {
            throw fail("truncated " + what + ": needs " + n + " bytes, " + buf.readableBytes() + " remain");
        }
    }

    int u8(String what) {
        need(1, what);
        return buf.readUnsignedByte();
    }

    int peekU8(String what) {
        need(1, what);
        return buf.getUnsignedByte(buf.readerIndex());
    }

    int u16(String what) {
        need(2, what);
        return buf.readUnsignedShort();
    }

    int s16(String what) {
        need(2, what);
        return buf.readShort();
    }

    long u32(String what) {
        need(4, what);
        return buf.readUnsignedInt();
    }

    int s32(String what) {
        need(4, what);
        return buf.readInt();
    }

    double f64(String what) {
        need(8, what);
        return buf.readDouble();
    }

    /** Checks a declared byte length against the string limit and the remaining bytes. */
    private int checkLength(long length, String what) {
        if (length > limits.maxStringLength()) {
            throw fail(what + " of " + length + " bytes exceeds maxStringLength " + limits.maxStringLength());
        }
        need(length, what);
        charge(0, length);
        return (int) length;
    }

    /** Reads {@code length} bytes of UTF-8; malformed sequences become U+FFFD. */
    String utf8(long length, String what) {
        int n = checkLength(length, what);
        String s = buf.toString(buf.readerIndex(), n, StandardCharsets.UTF_8);
        buf.skipBytes(n);
        return s;
    }

    byte[] bytes(long length, String what) {
        byte[] out = new byte[checkLength(length, what)];
        buf.readBytes(out);
        return out;
    }

    /**
     * Checks a peer-declared element count before anything is sized by it: each element needs at
     * least {@code minBytesEach} more bytes, and the count must fit the element budget.
     */
    int checkCount(long count, int minBytesEach, String what) {
        if (count > limits.maxElements() || elements + count > limits.maxElements()) {
            throw fail(what + " declares " + count + " elements, over maxElements " + limits.maxElements());
        }
        if (count * minBytesEach > buf.readableBytes()) {
            throw fail("truncated " + what + ": declares " + count + " elements but only "
                    + buf.readableBytes() + " bytes remain");
        }
        return (int) count;
    }

    /** Enters one container level. */
    void enter(String what) {
        if (++depth > limits.maxDepth()) {
            throw fail(what + " nested deeper than maxDepth " + limits.maxDepth());
        }
    }

    void exit() {
        depth--;
    }

    /** Counts one decoded value against the element budget. */
    void countElement() {
        charge(1, 0);
    }

    /** Adds the expanded size of a value to the message budgets. */
    void charge(long addElements, long addBytes) {
        elements += addElements;
        bytes += addBytes;
        if (elements > limits.maxElements()) {
            throw fail("message holds more than maxElements " + limits.maxElements()
                    + " values (references counted at full size)");
        }
        if (bytes > limits.maxExpandedBytes()) {
            throw fail("message expands to more than maxExpandedBytes " + limits.maxExpandedBytes()
                    + " bytes of text (references counted at full size)");
        }
    }

    long elementsUsed() {
        return elements;
    }

    long bytesUsed() {
        return bytes;
    }
}
