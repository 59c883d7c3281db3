package fluxrelay.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A second, deliberately naive implementation of the digest-handshake arithmetic, written from the
 * published descriptions and sharing no code with {@link HandshakeDigest}, so tests can compute expected
 * digests independently.
 */
final class KnownAnswer {

    private static final byte[] TAIL = HexFormat.of().parseHex(
            "F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE");

    /** "Genuine Adobe Flash Player 001" + tail: 62 bytes; the first 30 key C1's digest. */
    static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001".getBytes(StandardCharsets.US_ASCII), TAIL);
    /** "Genuine Adobe Flash Media Server 001" + tail: 68 bytes; the first 36 key S1's digest. */
    static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001".getBytes(StandardCharsets.US_ASCII), TAIL);

    private KnownAnswer() {
    }

    /** Digest position: schema 0 sums bytes 8..11 (base 12), schema 1 sums bytes 772..775 (base 776). */
    static int position(byte[] packet, int schema) {
        int field = schema == 0 ? 8 : 772;
        int sum = (packet[field] & 0xFF) + (packet[field + 1] & 0xFF) + (packet[field + 2] & 0xFF)
                + (packet[field + 3] & 0xFF);
        return sum % 728 + field + 4;
    }

    /** HMAC-SHA256 of the packet with the 32 bytes at {@code position} cut out. */
    static byte[] digest(byte[] packet, int position, byte[] key, int keyLength) {
        byte[] joined = concat(Arrays.copyOfRange(packet, 0, position), Arrays.copyOfRange(packet, position + 32, 1536));
        return hmac(Arrays.copyOf(key, keyLength), joined);
    }

    /** Writes a digest at the schema's position, keyed by the first {@code keyLength} bytes of {@code key}. */
    static void imprint(byte[] packet, int schema, byte[] key, int keyLength) {
        int position = position(packet, schema);
        System.arraycopy(digest(packet, position, key, keyLength), 0, packet, position, 32);
    }

    /** Whether the digest at the schema's position is right. */
    static boolean digestValid(byte[] packet, int schema, byte[] key, int keyLength) {
        int position = position(packet, schema);
        return Arrays.equals(digest(packet, position, key, keyLength), Arrays.copyOfRange(packet, position, position + 32));
    }

    static byte[] digestAt(byte[] packet, int schema) {
        int position = position(packet, schema);
        return Arrays.copyOfRange(packet, position, position + 32);
    }

    /** C2/S2 signature: HMAC(HMAC(fullKey, peerDigest), packet[0..1504)). */
    static byte[] signature(byte[] packet, byte[] fullKey, byte[] peerDigest) {
        return hmac(hmac(fullKey, peerDigest), Arrays.copyOfRange(packet, 0, 1504));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
