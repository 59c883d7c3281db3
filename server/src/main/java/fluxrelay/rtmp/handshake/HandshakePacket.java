package fluxrelay.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fixed-size pieces of the handshake (RTMP spec 5.2.1 to 5.2.4): the one-byte version C0/S0 and the
 * 1536-byte C1/S1/C2/S2 packets, held as plain byte arrays since their size never depends on the peer.
 * Layout of C1/S1: time (4 bytes), zero or a version (4 bytes), 1528 random bytes.
 */
public final class HandshakePacket {

    /** Size of C1, S1, C2 and S2. */
    public static final int SIZE = 1536;

    /** The only C0/S0 value we speak: plain RTMP. */
    public static final int RTMP_VERSION = 3;

    /** Start of the random part that C2/S2 echo (after time and time2/version). */
    private static final int RANDOM_START = 8;

    private HandshakePacket() {
    }

    /**
     * A new C1/S1-style packet: {@code time}, {@code version} (0 for the plain handshake), then filler bytes
     * from {@link ThreadLocalRandom} (fast and non-blocking; the handshake needs no secrecy).
     */
    static byte[] create(int time, int version) {
        byte[] packet = new byte[SIZE];
        ThreadLocalRandom.current().nextBytes(packet);
        putInt(packet, 0, time);
        putInt(packet, 4, version);
        return packet;
    }

    /** 1536 filler bytes, for a digest-mode C2/S2 before it is signed. */
    static byte[] random() {
        byte[] packet = new byte[SIZE];
        ThreadLocalRandom.current().nextBytes(packet);
        return packet;
    }

    /** Reads one packet from {@code in}; the caller has checked that {@link #SIZE} bytes are readable. */
    static byte[] read(ByteBuf in) {
        byte[] packet = new byte[SIZE];
        in.readBytes(packet);
        return packet;
    }

    /** Bytes 4..7 as an unsigned 32-bit value: zero for a plain C1/S1, a player or server version otherwise. */
    public static long version(byte[] packet) {
        requireSize(packet);
        return ((packet[4] & 0xFFL) << 24) | ((packet[5] & 0xFF) << 16) | ((packet[6] & 0xFF) << 8) | (packet[7] & 0xFF);
    }

    /** Whether {@code answer} (C2 or S2) echoes the random part of {@code original} (S1 or C1), spec 5.2.4. */
    static boolean echoes(byte[] answer, byte[] original) {
        requireSize(answer);
        requireSize(original);
        return java.util.Arrays.equals(answer, RANDOM_START, SIZE, original, RANDOM_START, SIZE);
    }

    static void requireSize(byte[] packet) {
        if (packet.length != SIZE) {
            throw new IllegalArgumentException("handshake packet must be 1536 bytes, not " + packet.length);
        }
    }

    private static void putInt(byte[] packet, int at, int value) {
        packet[at] = (byte) (value >>> 24);
        packet[at + 1] = (byte) (value >>> 16);
        packet[at + 2] = (byte) (value >>> 8);
        packet[at + 3] = (byte) value;
    }
}
