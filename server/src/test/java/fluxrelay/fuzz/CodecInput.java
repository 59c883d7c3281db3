package fluxrelay.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Puts a fuzz input inside a larger buffer, between guard bytes and behind a moved reader index, the
 * way codec data sits inside an FLV tag body: a parser that mixes absolute and relative indexes, or
 * reads past the region it was given, then sees the guards instead of failing cleanly.
 */
final class CodecInput {

    /** Absolute index of the input inside {@link #guarded}. */
    static final int OFFSET = 5;
    private static final int GUARD = 0xA5;

    private CodecInput() {
    }

    /** {@code input} at {@link #OFFSET}, three guard bytes before and after; reader index 2. */
    static ByteBuf guarded(byte[] input) {
        ByteBuf buf = Unpooled.buffer(OFFSET + input.length + 3);
        for (int i = 0; i < OFFSET; i++) {
            buf.writeByte(GUARD);
        }
        buf.writeBytes(input);
        buf.writeByte(GUARD).writeByte(GUARD).writeByte(GUARD);
        buf.readerIndex(2);
        return buf;
    }
}
