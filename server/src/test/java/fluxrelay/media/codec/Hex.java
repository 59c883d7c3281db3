package fluxrelay.media.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.HexFormat;

/** Golden bytes written as hex with free spacing, for tests. */
public final class Hex {

    private Hex() {
    }

    /** Bytes of a hex string; spaces, newlines, {@code |} separators and {@code //} comments are ignored. */
    public static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("//[^\\n]*", "").replaceAll("[\\s|]", ""));
    }

    /** A leak-tracked heap buffer holding the bytes; the caller releases it. */
    public static ByteBuf buf(String hex) {
        return buf(bytes(hex));
    }

    /** A leak-tracked heap buffer holding a copy of {@code bytes}; the caller releases it. */
    public static ByteBuf buf(byte[] bytes) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.heapBuffer(bytes.length);
        return buf.writeBytes(bytes);
    }

    /** Lower-case hex of the readable bytes, for assertions. */
    public static String of(ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.getBytes(buf.readerIndex(), bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Lower-case hex of the bytes. */
    public static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
