package fluxrelay.hls.fmp4;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Box framing (ISO/IEC 14496-12 4.2): a 32-bit size and a four-character type, then for a full box a version
 * byte and 24 bits of flags. A box is opened, its body written, then closed, which fills in the size.
 */
final class Box {

    private Box() {
    }

    /** Writes a box header with a size to be patched; returns the box's start index for {@link #end}. */
    static int begin(ByteBuf out, String type) {
        int start = out.writerIndex();
        out.writeInt(0);
        writeType(out, type);
        return start;
    }

    /** Writes a full box header (4.2: version and flags). */
    static int beginFull(ByteBuf out, String type, int version, int flags) {
        int start = begin(out, type);
        out.writeInt(version << 24 | flags & 0xFFFFFF);
        return start;
    }

    /** Patches the size of the box opened at {@code start} to end at the writer index. */
    static void end(ByteBuf out, int start) {
        out.setInt(start, out.writerIndex() - start);
    }

    /** A four-character code. */
    static void writeType(ByteBuf out, String type) {
        if (type.length() != 4) {
            throw new IllegalArgumentException("not a four-character code: " + type);
        }
        out.writeBytes(type.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The unity transformation matrix of mvhd and tkhd (4.2: 16.16 and 2.30 fixed point). */
    static void writeUnityMatrix(ByteBuf out) {
        int[] matrix = {0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000};
        for (int value : matrix) {
            out.writeInt(value);
        }
    }
}
