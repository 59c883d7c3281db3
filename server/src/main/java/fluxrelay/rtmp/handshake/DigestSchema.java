package fluxrelay.rtmp.handshake;

/**
 * Where the 32-byte digest sits in a digest-handshake C1 or S1. Four bytes of the packet, summed as unsigned
 * values modulo 728, give the digest's distance from a fixed base; the two schemas differ in where those four
 * bytes and the base are. Schema 0 is what ffmpeg and Flash Player send; FMS 3.5 and later also accept 1.
 */
public enum DigestSchema {
    /** Offset bytes at 8..11, digest somewhere in 12..771 (the first half of C1's random part). */
    ZERO(8),
    /** Offset bytes at 772..775, digest somewhere in 776..1535 (the second half). */
    ONE(772);

    private static final int SPAN = 728;

    private final int offsetField;

    DigestSchema(int offsetField) {
        this.offsetField = offsetField;
    }

    /** Position of the digest in {@code packet}, always in {@code [12, 1504]}; reads only bytes it owns. */
    public int digestPosition(byte[] packet) {
        HandshakePacket.requireSize(packet);
        int sum = 0;
        for (int i = offsetField; i < offsetField + 4; i++) {
            sum += packet[i] & 0xFF;
        }
        return offsetField + 4 + sum % SPAN;
    }
}
