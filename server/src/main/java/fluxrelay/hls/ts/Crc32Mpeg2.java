package fluxrelay.hls.ts;

import io.netty.buffer.ByteBuf;

/**
 * The CRC-32 of PSI sections (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, initial value all ones, no
 * bit reflection and no final XOR, so that the CRC of a section including its own CRC_32 field is zero.
 */
public final class Crc32Mpeg2 {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc32Mpeg2() {
    }

    /** The CRC of {@code length} bytes of {@code data} from absolute index {@code offset}. */
    public static int compute(ByteBuf data, int offset, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ data.getUnsignedByte(i)) & 0xFF];
        }
        return crc;
    }
}
