package fluxrelay.rtmp.handshake;

import java.nio.charset.StandardCharsets;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two well-known HMAC keys of the digest handshake: an ASCII name ("partial" key, used for the C1/S1
 * digest) followed by a fixed 32-byte tail (with it, the "full" key, used to derive C2/S2 signatures).
 * Named after the side that signs with it.
 */
enum DigestKey {
    /** Client key: "Genuine Adobe Flash Player 001" (30 bytes) + tail = 62 bytes. */
    PLAYER("Genuine Adobe Flash Player 001"),
    /** Server key: "Genuine Adobe Flash Media Server 001" (36 bytes) + tail = 68 bytes. */
    MEDIA_SERVER("Genuine Adobe Flash Media Server 001");

    static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec partial;
    private final SecretKeySpec full;

    DigestKey(String name) {
        byte[] ascii = name.getBytes(StandardCharsets.US_ASCII);
        int[] tail = Tail.BYTES;
        byte[] key = new byte[ascii.length + tail.length];
        System.arraycopy(ascii, 0, key, 0, ascii.length);
        for (int i = 0; i < tail.length; i++) {
            key[ascii.length + i] = (byte) tail[i];
        }
        this.partial = new SecretKeySpec(key, 0, ascii.length, ALGORITHM);
        this.full = new SecretKeySpec(key, ALGORITHM);
    }

    /** The name part only: keys the digest in C1 (client) or S1 (server). */
    SecretKeySpec partial() {
        return partial;
    }

    /** Name and tail: keys the HMAC of the peer's digest that in turn keys our C2 or S2 signature. */
    SecretKeySpec full() {
        return full;
    }

    /** The 32 bytes both keys end with (a holder, since enum constructors cannot read the enum's statics). */
    private static final class Tail {
        static final int[] BYTES = {
            0xF0, 0xEE, 0xC2, 0x4A, 0x80, 0x68, 0xBE, 0xE8, 0x2E, 0x00, 0xD0, 0xD1, 0x02, 0x9E, 0x7E, 0x57,
            0x6E, 0xEC, 0x5D, 0x2D, 0x29, 0x80, 0x6F, 0xAB, 0x93, 0xB8, 0xE6, 0x36, 0xCF, 0xEB, 0x31, 0xAE,
        };
    }
}
