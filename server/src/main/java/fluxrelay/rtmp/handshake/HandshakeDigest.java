package fluxrelay.rtmp.handshake;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 arithmetic of the digest handshake, shared by the server and client handlers. All methods
 * work on whole 1536-byte C1/S1/C2/S2 packets (see {@link HandshakePacket}) and are pure apart from writing
 * into the packet they are asked to fill.
 *
 * <ul>
 *   <li>C1/S1 digest: HMAC(partial key of the signer, packet without the 32 digest bytes), stored at
 *       {@link DigestSchema#digestPosition}.
 *   <li>C2/S2 signature: HMAC(HMAC(full key of the signer, peer's C1/S1 digest), packet[0..1504)), stored in
 *       the last 32 bytes.
 * </ul>
 */
final class HandshakeDigest {

    /** Length of a digest and of a signature. */
    static final int SIZE = 32;

    private static final int SIGNED_LENGTH = HandshakePacket.SIZE - SIZE;

    private HandshakeDigest() {
    }

    /** The schema whose digest, keyed by {@code signer}, validates in {@code packet}: schema 0 tried first. */
    static Optional<DigestSchema> findDigest(byte[] packet, DigestKey signer) {
        for (DigestSchema schema : DigestSchema.values()) {
            if (hasValidDigest(packet, schema, signer)) {
                return Optional.of(schema);
            }
        }
        return Optional.empty();
    }

    /** Whether the digest at the schema's position in {@code packet} is the one {@code signer} would write. */
    static boolean hasValidDigest(byte[] packet, DigestSchema schema, DigestKey signer) {
        int position = schema.digestPosition(packet);
        byte[] expected = digestExcluding(packet, position, signer.partial());
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, position, position + SIZE));
    }

    /** Writes {@code signer}'s digest into {@code packet} at the schema's position. */
    static void imprint(byte[] packet, DigestSchema schema, DigestKey signer) {
        int position = schema.digestPosition(packet);
        byte[] digest = digestExcluding(packet, position, signer.partial());
        System.arraycopy(digest, 0, packet, position, SIZE);
    }

    /** A copy of the 32 digest bytes at the schema's position. */
    static byte[] digestAt(byte[] packet, DigestSchema schema) {
        int position = schema.digestPosition(packet);
        return Arrays.copyOfRange(packet, position, position + SIZE);
    }

    /** Writes the signature answering {@code peerDigest} into the last 32 bytes of {@code packet}. */
    static void sign(byte[] packet, byte[] peerDigest, DigestKey signer) {
        System.arraycopy(signature(packet, peerDigest, signer), 0, packet, SIGNED_LENGTH, SIZE);
    }

    /** Whether the last 32 bytes of {@code packet} are {@code signer}'s signature answering {@code peerDigest}. */
    static boolean hasValidSignature(byte[] packet, byte[] peerDigest, DigestKey signer) {
        byte[] expected = signature(packet, peerDigest, signer);
        return MessageDigest.isEqual(expected, Arrays.copyOfRange(packet, SIGNED_LENGTH, HandshakePacket.SIZE));
    }

    private static byte[] signature(byte[] packet, byte[] peerDigest, DigestKey signer) {
        HandshakePacket.requireSize(packet);
        if (peerDigest.length != SIZE) {
            throw new IllegalArgumentException("digest must be 32 bytes, not " + peerDigest.length);
        }
        Mac mac = newMac(signer.full());
        byte[] derivedKey = mac.doFinal(peerDigest);
        mac = newMac(new SecretKeySpec(derivedKey, DigestKey.ALGORITHM));
        mac.update(packet, 0, SIGNED_LENGTH);
        return mac.doFinal();
    }

    private static byte[] digestExcluding(byte[] packet, int position, Key key) {
        Mac mac = newMac(key);
        mac.update(packet, 0, position);
        mac.update(packet, position + SIZE, HandshakePacket.SIZE - position - SIZE);
        return mac.doFinal();
    }

    private static Mac newMac(Key key) {
        try {
            Mac mac = Mac.getInstance(DigestKey.ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            // Every Java platform must provide HmacSHA256, so this cannot happen on a working JDK.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
