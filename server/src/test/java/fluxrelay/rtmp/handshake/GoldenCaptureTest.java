package fluxrelay.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Replays real clients' C0+C1 (see src/test/resources/handshake/README.md) through the server handler. */
class GoldenCaptureTest {

    static byte[] resource(String name) throws IOException {
        try (InputStream in = GoldenCaptureTest.class.getResourceAsStream("/handshake/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /handshake/" + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void ffmpegC1CarriesAPlayerDigestInSchemaZeroAt494() throws IOException {
        byte[] c0c1 = resource("ffmpeg-5.1-c0c1.bin");
        assertEquals(1537, c0c1.length);
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1537);
        // bytes 8..11 are f7 78 55 1e: 247 + 120 + 85 + 30 = 482; 482 % 728 + 12 = 494
        assertEquals(494, KnownAnswer.position(c1, 0));
        assertTrue(KnownAnswer.digestValid(c1, 0, KnownAnswer.PLAYER_KEY, 30));
        assertEquals(Optional.of(DigestSchema.ZERO), HandshakeDigest.findDigest(c1, DigestKey.PLAYER));
        assertEquals(0x0900_7C02L, HandshakePacket.version(c1)); // Flash Player 9.0.124.2
    }

    /** Capture, expected kind, expected client version. */
    @ParameterizedTest
    @CsvSource({
        "ffmpeg-5.1-c0c1.bin,   DIGEST, 0x09007C02",
        "rtmpdump-2.4-c0c1.bin, PLAIN,  0x00000000",
    })
    void replayedWholeByteByByteAndInRandomPieces(String file, HandshakeKind kind, String version) throws IOException {
        byte[] c0c1 = resource(file);
        long expectedVersion = Long.decode(version);
        replay(c0c1, kind, expectedVersion, Wire::send);
        replay(c0c1, kind, expectedVersion, Wire::sendByteByByte);
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            replay(c0c1, kind, expectedVersion, (ch, bytes) -> Wire.sendInRandomPieces(ch, bytes, random));
        }
    }

    private static void replay(byte[] c0c1, HandshakeKind kind, long version,
                               BiConsumer<EmbeddedChannel, byte[]> delivery) {
        Recorder recorder = new Recorder();
        EmbeddedChannel server = new EmbeddedChannel(new ServerHandshakeHandler(HandshakeLimits.defaults()), recorder);
        delivery.accept(server, c0c1);
        byte[] answer = Wire.drain(server);
        assertEquals(3073, answer.length);
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1537);
        byte[] s1 = Arrays.copyOfRange(answer, 1, 1537);
        byte[] s2 = Arrays.copyOfRange(answer, 1537, 3073);
        if (kind == HandshakeKind.DIGEST) {
            assertTrue(KnownAnswer.digestValid(s1, 0, KnownAnswer.SERVER_KEY, 36), "S1 digest, schema 0");
            byte[] expected = KnownAnswer.signature(s2, KnownAnswer.SERVER_KEY, KnownAnswer.digestAt(c1, 0));
            assertArrayEquals(expected, Arrays.copyOfRange(s2, 1504, 1536), "S2 signature");
        } else {
            assertArrayEquals(c1, s2, "S2 echoes C1");
        }
        // Both tools answer with S1 echoed when they do not play (ffmpeg publishing, rtmpdump plain).
        byte[] trailing = {0x02, 0x00, 0x00};
        delivery.accept(server, Wire.concat(s1, trailing));
        assertEquals(new HandshakeCompleted(kind, version), recorder.outcome());
        assertEquals(0, recorder.warnings().size());
        assertArrayEquals(trailing, recorder.bytes());
        assertTrue(server.isActive());
        server.finishAndReleaseAll();
    }
}
