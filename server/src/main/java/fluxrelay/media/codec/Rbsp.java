package fluxrelay.media.codec;

import java.util.Objects;

/**
 * Turns NAL unit payload bytes into the raw byte sequence payload by dropping emulation
 * prevention bytes (H.264 7.4.1, H.265 7.4.2: the {@code 0x03} of each {@code 00 00 03}).
 */
public final class Rbsp {

    private Rbsp() {
    }

    /** The RBSP of {@code length} bytes of {@code nal} from {@code offset}; a new array. */
    public static byte[] unescape(byte[] nal, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, nal.length);
        byte[] out = new byte[length];
        int written = 0;
        int zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = nal[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            out[written++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return written == length ? out : java.util.Arrays.copyOf(out, written);
    }
}
