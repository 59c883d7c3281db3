package fluxrelay.rtmp.amf;

import java.util.Arrays;

/**
 * An AMF3 ByteArray (3.14). Holds its own copy of the bytes, so it stays immutable; compares by
 * content. AMF0 has no such type, so the AMF0 writer sends it through the avmplus-object switch.
 */
public record AmfByteArray(byte[] bytes) implements AmfValue {

    /** Copies {@code bytes}. */
    public AmfByteArray {
        bytes = bytes.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** The byte at {@code index}, without copying. */
    public byte byteAt(int index) {
        return bytes[index];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmfByteArray other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** {@code ByteArray(3: 0a0b0c)}, the hex shortened past 32 bytes. */
    @Override
    public String toString() {
        return "ByteArray(" + bytes.length + ": " + AmfText.hex(bytes) + ")";
    }
}
