package fluxrelay.rtmp.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Test fixture: golden bytes written as hex with quoted ASCII runs, e.g.
 * {@code "02 0007 'connect'"}, and round trips through pooled (leak-tracked) buffers that are
 * always released.
 */
final class Bytes {

    private Bytes() {
    }

    /**
     * Parses hex digit pairs and {@code 'text'} runs (UTF-8); whitespace and {@code |} separate,
     * {@code #} starts a comment to the end of the line.
     */
    static byte[] of(String spec) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            if (Character.isWhitespace(c) || c == '|') {
                i++;
            } else if (c == '#') {
                int end = spec.indexOf('\n', i);
                i = end < 0 ? spec.length() : end;
            } else if (c == '\'') {
                int end = spec.indexOf('\'', i + 1);
                out.writeBytes(spec.substring(i + 1, end).getBytes(StandardCharsets.UTF_8));
                i = end + 1;
            } else {
                out.write(HexFormat.fromHexDigits(spec, i, i + 2));
                i += 2;
            }
        }
        return out.toByteArray();
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Runs {@code writer} on a fresh pooled buffer and returns what it wrote. */
    static byte[] written(Consumer<ByteBuf> writer) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer();
        try {
            writer.accept(buf);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    /** Runs {@code reader} on a pooled copy of {@code bytes}, and checks it consumed them all. */
    static <T> T read(byte[] bytes, Function<ByteBuf, T> reader) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(bytes.length);
        try {
            buf.writeBytes(bytes);
            T result = reader.apply(buf);
            if (buf.isReadable()) {
                throw new AssertionError(buf.readableBytes() + " bytes left unread");
            }
            return result;
        } finally {
            buf.release();
        }
    }

    static byte[] amf0(AmfValue... values) {
        return written(out -> Amf0Writer.writeAll(out, values));
    }

    static byte[] amf3(AmfValue... values) {
        return written(out -> Amf3Writer.writeAll(out, values));
    }

    /**
     * Reads from an unpooled heap wrapper, which the leak detector does not instrument: for loops
     * of thousands of reads, where PARANOID access records would dominate the run time.
     */
    static List<AmfValue> readAmf0Fast(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return new Amf0Reader(AmfLimits.DEFAULT).readAll(buf);
        } finally {
            buf.release();
        }
    }

    /** As {@link #readAmf0Fast}, for AMF3. */
    static List<AmfValue> readAmf3Fast(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            return new Amf3Reader(AmfLimits.DEFAULT).readAll(buf);
        } finally {
            buf.release();
        }
    }

    static List<AmfValue> readAmf0(byte[] bytes) {
        return readAmf0(bytes, AmfLimits.DEFAULT);
    }

    static List<AmfValue> readAmf0(byte[] bytes, AmfLimits limits) {
        return read(bytes, buf -> new Amf0Reader(limits).readAll(buf));
    }

    static List<AmfValue> readAmf3(byte[] bytes) {
        return readAmf3(bytes, AmfLimits.DEFAULT);
    }

    static List<AmfValue> readAmf3(byte[] bytes, AmfLimits limits) {
        return read(bytes, buf -> new Amf3Reader(limits).readAll(buf));
    }
}
