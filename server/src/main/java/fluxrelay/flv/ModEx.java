package fluxrelay.flv;

/**
 * The ModEx packet type of Enhanced RTMP v2 (VideoPacketType and AudioPacketType 7): a chain of
 * modifier extensions in front of the real packet type, each with its own data.
 *
 * <p>The one modifier the spec defines, TimestampOffsetNano, adds less than a millisecond (UI24,
 * 0 to 999999 ns) to the message timestamp. Frames here are timed in whole milliseconds, so the
 * offset cannot move them and is read past like the data of modifiers not yet defined.
 */
final class ModEx {

    /** The packet type that announces a modifier extension. */
    static final int PACKET_TYPE = 7;

    private ModEx() {
    }

    /**
     * Reads past every ModEx in front of the packet and returns the real packet type; returns
     * {@code packetType} when it is not ModEx.
     *
     * @param field the name of the ModExType/PacketType byte, for error messages
     */
    static int skip(TagCursor in, int packetType, String field) {
        while (packetType == PACKET_TYPE) {
            int size = in.u8("modExDataSize") + 1;
            if (size == 256) {
                size = in.u16("modExDataSize") + 1;
            }
            in.skip(size, "modExData");
            packetType = in.u8(field) & 0x0F; // upper 4 bits: the ModExType
        }
        return packetType;
    }
}
