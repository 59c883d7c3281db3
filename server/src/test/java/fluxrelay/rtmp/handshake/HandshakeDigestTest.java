package fluxrelay.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class HandshakeDigestTest {

    /** Offset bytes (at 8..11 for schema 0, 772..775 for schema 1) and where the digest must then sit. */
    @ParameterizedTest
    @CsvSource({
        // b0,  b1,  b2,  b3, schema 0, schema 1    (sum % 728 + 12 / + 776)
        "0x00, 0x00, 0x00, 0x00,  12,  776",   // sum 0
        "0xb6, 0x02, 0x00, 0x00, 196,  960",   // sum 184
        "0xff, 0xff, 0xff, 0xff, 304, 1068",   // sum 1020, wraps: 292
        "0xff, 0xff, 0xd9, 0x00, 739, 1503",   // sum 727, the largest distance
        "0xff, 0xff, 0xda, 0x00,  12,  776",   // sum 728 wraps to 0
    })
    void digestPositionFollowsTheOffsetBytes(String b0, String b1, String b2, String b3, int zero, int one) {
        byte[] packet = new byte[HandshakePacket.SIZE];
        byte[] offset = {Integer.decode(b0).byteValue(), Integer.decode(b1).byteValue(),
                Integer.decode(b2).byteValue(), Integer.decode(b3).byteValue()};
        System.arraycopy(offset, 0, packet, 8, 4);
        System.arraycopy(offset, 0, packet, 772, 4);
        assertEquals(zero, DigestSchema.ZERO.digestPosition(packet));
        assertEquals(one, DigestSchema.ONE.digestPosition(packet));
        assertEquals(zero, KnownAnswer.position(packet, 0));
        assertEquals(one, KnownAnswer.position(packet, 1));
    }

    @ParameterizedTest
    @EnumSource(DigestSchema.class)
    void imprintedDigestsMatchTheIndependentComputation(DigestSchema schema) {
        int index = schema.ordinal();
        for (DigestKey key : DigestKey.values()) {
            byte[] ours = Wire.packet(42 + index, 7, 0x0900_7C02);
            byte[] theirs = ours.clone();
            HandshakeDigest.imprint(ours, schema, key);
            byte[] fullKey = key == DigestKey.PLAYER ? KnownAnswer.PLAYER_KEY : KnownAnswer.SERVER_KEY;
            KnownAnswer.imprint(theirs, index, fullKey, key == DigestKey.PLAYER ? 30 : 36);
            assertArrayEquals(theirs, ours, key + " " + schema);
            assertEquals(Optional.of(schema), HandshakeDigest.findDigest(ours, key));
            assertArrayEquals(KnownAnswer.digestAt(theirs, index), HandshakeDigest.digestAt(ours, schema));
        }
    }

    @Test
    void aDigestDoesNotValidateWithTheOtherKeyOrAfterTampering() {
        byte[] packet = Wire.packet(1, 0, 0x0900_7C02);
        HandshakeDigest.imprint(packet, DigestSchema.ZERO, DigestKey.PLAYER);
        assertEquals(Optional.empty(), HandshakeDigest.findDigest(packet, DigestKey.MEDIA_SERVER));
        packet[1535] ^= 1; // outside the digest, inside the signed data
        assertEquals(Optional.empty(), HandshakeDigest.findDigest(packet, DigestKey.PLAYER));
    }

    @Test
    void aPlainRandomPacketHasNoDigest() {
        assertEquals(Optional.empty(), HandshakeDigest.findDigest(Wire.packet(3, 0, 0), DigestKey.PLAYER));
    }

    @Test
    void signaturesMatchTheIndependentComputation() {
        byte[] peerDigest = KnownAnswer.digestAt(Wire.packet(5, 0, 0), 0);
        byte[] s2 = Wire.packet(6, 0, 0);
        HandshakeDigest.sign(s2, peerDigest, DigestKey.MEDIA_SERVER);
        assertArrayEquals(KnownAnswer.signature(s2, KnownAnswer.SERVER_KEY, peerDigest),
                java.util.Arrays.copyOfRange(s2, 1504, 1536));
        assertTrue(HandshakeDigest.hasValidSignature(s2, peerDigest, DigestKey.MEDIA_SERVER));
        assertFalse(HandshakeDigest.hasValidSignature(s2, peerDigest, DigestKey.PLAYER));

        byte[] c2 = Wire.packet(7, 0, 0);
        HandshakeDigest.sign(c2, peerDigest, DigestKey.PLAYER);
        assertArrayEquals(KnownAnswer.signature(c2, KnownAnswer.PLAYER_KEY, peerDigest),
                java.util.Arrays.copyOfRange(c2, 1504, 1536));
        c2[0] ^= 1;
        assertFalse(HandshakeDigest.hasValidSignature(c2, peerDigest, DigestKey.PLAYER));
    }

    @Test
    void theIndependentKeysHaveTheDocumentedLengths() {
        assertEquals(62, KnownAnswer.PLAYER_KEY.length);
        assertEquals(68, KnownAnswer.SERVER_KEY.length);
    }
}
