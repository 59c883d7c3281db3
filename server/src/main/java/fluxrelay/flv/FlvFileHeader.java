package fluxrelay.flv;

import io.netty.buffer.ByteBuf;

/**
 * The FLV file header (FLV spec v10.1 E.2) and the PreviousTagSize0 after it (E.3): what an
 * HTTP-FLV response or an FLV recording starts with.
 */
public final class FlvFileHeader {

    /** Header length (DataOffset of a version 1 header). */
    public static final int LENGTH = 9;
    /** Header plus PreviousTagSize0. */
    public static final int LENGTH_WITH_TAG_SIZE0 = LENGTH + 4;

    static final int SIGNATURE = 0x464C56; // "FLV"
    static final int FLAG_AUDIO = 0x04;
    static final int FLAG_VIDEO = 0x01;

    private FlvFileHeader() {
    }

    /** Writes the 9-byte header and PreviousTagSize0 (13 bytes). */
    public static void write(ByteBuf out, boolean audio, boolean video) {
        out.writeMedium(SIGNATURE);
        out.writeByte(1); // Version
        out.writeByte((audio ? FLAG_AUDIO : 0) | (video ? FLAG_VIDEO : 0));
        out.writeInt(LENGTH); // DataOffset
        out.writeInt(0); // PreviousTagSize0
    }
}
