package fluxrelay.bandwidth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.security.SecureRandom;

/**
 * The bytes probes send: random, so no proxy or modem can compress them, generated once at the largest probe
 * size and shared by every probe as slices of one direct buffer.
 *
 * <p>Two views: raw random bytes for HTTP, and the same randomness spelled in the base64 alphabet for RTMP,
 * whose {@code onBWCheck} payload is an AMF string that strict clients decode as UTF-8. The buffers are never
 * released; a slice needs no release either (releasing one is a no-op), so they can be handed to any writer.
 * Thread-safe.
 */
public final class ProbePayload {

    private static final byte[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final int size;
    private volatile ByteBuf binary;
    private volatile ByteBuf text;

    /** A payload of at most {@code size} bytes per probe, generated on first use. */
    public ProbePayload(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive");
        }
        this.size = size;
    }

    /** Largest slice available. */
    public int size() {
        return size;
    }

    /** {@code length} random bytes starting at {@code offset}; the caller need not release it. */
    public ByteBuf binary(int offset, int length) {
        return buffers(false).slice(offset, length);
    }

    /** {@code length} random base64-alphabet characters starting at {@code offset}; need not be released. */
    public ByteBuf text(int offset, int length) {
        return buffers(true).slice(offset, length);
    }

    private ByteBuf buffers(boolean wantText) {
        ByteBuf b = wantText ? text : binary;
        if (b == null) {
            synchronized (this) {
                if (binary == null) {
                    byte[] random = new byte[size];
                    new SecureRandom().nextBytes(random);
                    byte[] ascii = new byte[size];
                    for (int i = 0; i < size; i++) {
                        ascii[i] = ALPHABET[random[i] & 63];
                    }
                    binary = frozen(random);
                    text = frozen(ascii);
                }
                b = wantText ? text : binary;
            }
        }
        return b;
    }

    private static ByteBuf frozen(byte[] bytes) {
        // A JDK direct buffer (freed by the GC, not leak-tracked) behind a wrapper whose release is a no-op.
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }
}
