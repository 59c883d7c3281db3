package fluxrelay.media.codec;

import java.util.Objects;

/**
 * Reads bits most significant first from a byte array, with the Exp-Golomb codes of H.264 and
 * H.265 clause 9.2 ({@code ue(v)}, {@code se(v)}).
 *
 * <p>Bounded: reading past the end throws {@link CodecFormatException}. Parameter sets are read
 * from their RBSP, so callers remove emulation prevention bytes first ({@link Rbsp#unescape}).
 */
public final class BitReader {

    private final byte[] data;
    private final long endBit;
    private long bit;

    /** A reader over all of {@code data}. */
    public BitReader(byte[] data) {
        this(data, 0, data.length);
    }

    /** A reader over {@code length} bytes of {@code data} from {@code offset}. */
    public BitReader(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.bit = (long) offset * 8;
        this.endBit = (long) (offset + length) * 8;
    }

    /** Bits left to read. */
    public long bitsLeft() {
        return endBit - bit;
    }

    /** One bit, 0 or 1. */
    public int readBit() {
        if (bit >= endBit) {
            throw new CodecFormatException("bitstream ends early");
        }
        int value = (data[(int) (bit >>> 3)] >> (7 - (int) (bit & 7))) & 1;
        bit++;
        return value;
    }

    /** One bit as a flag. */
    public boolean readFlag() {
        return readBit() == 1;
    }

    /** {@code u(n)} for n in 0..31. */
    public int readBits(int n) {
        if (n < 0 || n > 31) {
            throw new IllegalArgumentException("n must be 0..31: " + n);
        }
        return (int) readBitsLong(n);
    }

    /** {@code u(n)} for n in 0..63. */
    public long readBitsLong(int n) {
        if (n < 0 || n > 63) {
            throw new IllegalArgumentException("n must be 0..63: " + n);
        }
        if (n > bitsLeft()) {
            throw new CodecFormatException("bitstream ends early: " + n + " bits wanted, " + bitsLeft() + " left");
        }
        long value = 0;
        for (int i = 0; i < n; i++) {
            value = (value << 1) | readBit();
        }
        return value;
    }

    /** Skips {@code n} bits. */
    public void skipBits(long n) {
        if (n < 0 || n > bitsLeft()) {
            throw new CodecFormatException("bitstream ends early: cannot skip " + n + " bits, " + bitsLeft() + " left");
        }
        bit += n;
    }

    /** {@code ue(v)}; values beyond {@code int} range are malformed here. */
    public int readUe() {
        int leadingZeros = 0;
        while (readBit() == 0) {
            leadingZeros++;
            if (leadingZeros > 31) {
                throw new CodecFormatException("Exp-Golomb code longer than 32 bits");
            }
        }
        long value = (1L << leadingZeros) - 1 + readBitsLong(leadingZeros);
        if (value > Integer.MAX_VALUE) {
            throw new CodecFormatException("Exp-Golomb value out of range: " + value);
        }
        return (int) value;
    }

    /** {@code ue(v)} that must not exceed {@code max}; {@code field} names it in the error. */
    public int readUe(String field, int max) {
        int value = readUe();
        if (value > max) {
            throw new CodecFormatException(field + " out of range: " + value + " > " + max);
        }
        return value;
    }

    /** {@code se(v)}. */
    public int readSe() {
        int codeNum = readUe();
        int magnitude = (codeNum >>> 1) + (codeNum & 1);
        return (codeNum & 1) == 1 ? magnitude : -magnitude;
    }
}
