package fluxrelay.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerHandshakeHandlerTest {

    private static final HandshakeLimits LENIENT = new HandshakeLimits(Duration.ofSeconds(5), false);
    private static final HandshakeLimits STRICT = new HandshakeLimits(Duration.ofSeconds(5), true);

    /** What a client sends right after C2: a chunk basic header (fmt 0, csid 3) and the start of a header. */
    private static final byte[] TRAILING = HexFormat.of().parseHex("030000000000c814000000000200");

    private Recorder recorder;

    private EmbeddedChannel server(HandshakeLimits limits) {
        recorder = new Recorder();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime(); // the timeout is scheduled on the channel's clock, which only tests move
        channel.pipeline().addLast(new ServerHandshakeHandler(limits), recorder);
        return channel;
    }

    private static byte[] s1(byte[] answer) {
        return Arrays.copyOfRange(answer, 1, 1537);
    }

    private static byte[] s2(byte[] answer) {
        return Arrays.copyOfRange(answer, 1537, 3073);
    }

    /** A plain C2 as the spec asks: S1's time, then our time2, then S1's random bytes. */
    private static byte[] echo(byte[] s1) {
        byte[] c2 = s1.clone();
        c2[4] = 0x7F; // time2: when we read S1; servers must not insist on it
        return c2;
    }

    private void assertHandedOver(EmbeddedChannel channel, HandshakeCompleted expected) {
        assertEquals(expected, recorder.outcome());
        assertEquals(List.of(), recorder.warnings());
        assertArrayEquals(TRAILING, recorder.bytes());
        assertEquals(expected, recorder.order.get(0), "the event comes before the bytes");
        assertNull(channel.pipeline().get(ServerHandshakeHandler.class), "handler removed itself");
        assertTrue(channel.isActive());
    }

    @Test
    void plainHandshakeEchoesC1AndHandsTheBytesAfterC2On() {
        EmbeddedChannel channel = server(LENIENT);
        byte[] c1 = Wire.packet(11, 0x01020304, 0);
        Wire.send(channel, Wire.c0c1(c1));
        byte[] answer = Wire.drain(channel);
        assertEquals(1 + 1536 + 1536, answer.length, "S0+S1+S2 in one go");
        assertEquals(3, answer[0]);
        assertArrayEquals(new byte[4], Arrays.copyOfRange(answer, 5, 9), "plain S1: zero in bytes 4..7");
        assertArrayEquals(c1, s2(answer), "S2 echoes C1");
        assertEquals(List.of(), recorder.events);

        Wire.send(channel, Wire.concat(echo(s1(answer)), TRAILING));
        assertHandedOver(channel, new HandshakeCompleted(HandshakeKind.PLAIN, 0));
        assertFalse(channel.finishAndReleaseAll());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void digestHandshakeInEitherSchemaIsAnsweredInKind(int schema) {
        EmbeddedChannel channel = server(STRICT);
        byte[] c1 = Wire.packet(20 + schema, 0, 0x0900_7C02);
        KnownAnswer.imprint(c1, schema, KnownAnswer.PLAYER_KEY, 30);
        Wire.send(channel, Wire.c0c1(c1));
        byte[] answer = Wire.drain(channel);
        byte[] s1 = s1(answer);
        byte[] s2 = s2(answer);
        assertEquals((long) ServerHandshakeHandler.SERVER_VERSION, HandshakePacket.version(s1));
        assertTrue(KnownAnswer.digestValid(s1, schema, KnownAnswer.SERVER_KEY, 36), "S1 digest in the client's schema");
        byte[] clientDigest = KnownAnswer.digestAt(c1, schema);
        assertArrayEquals(KnownAnswer.signature(s2, KnownAnswer.SERVER_KEY, clientDigest),
                Arrays.copyOfRange(s2, 1504, 1536), "S2 signed against the client digest");

        byte[] c2 = Wire.packet(30, 0, 0);
        byte[] signature = KnownAnswer.signature(c2, KnownAnswer.PLAYER_KEY, KnownAnswer.digestAt(s1, schema));
        System.arraycopy(signature, 0, c2, 1504, 32);
        Wire.send(channel, Wire.concat(c2, TRAILING));
        assertHandedOver(channel, new HandshakeCompleted(HandshakeKind.DIGEST, 0x0900_7C02L));
        channel.finishAndReleaseAll();
    }

    @Test
    void digestC2ThatEchoesS1IsAcceptedAsFfmpegPublishersSendIt() {
        EmbeddedChannel channel = server(STRICT);
        byte[] c1 = Wire.packet(40, 0, 0x0900_7C02);
        KnownAnswer.imprint(c1, 0, KnownAnswer.PLAYER_KEY, 30);
        Wire.send(channel, Wire.c0c1(c1));
        Wire.send(channel, Wire.concat(s1(Wire.drain(channel)), TRAILING));
        assertHandedOver(channel, new HandshakeCompleted(HandshakeKind.DIGEST, 0x0900_7C02L));
        channel.finishAndReleaseAll();
    }

    @Test
    void aVersionWithoutAValidDigestFallsBackToPlainAndSaysSo() {
        EmbeddedChannel channel = server(LENIENT);
        byte[] c1 = Wire.packet(50, 0, 0x0A00_0000);
        Wire.send(channel, Wire.c0c1(c1));
        byte[] answer = Wire.drain(channel);
        assertEquals(0, HandshakePacket.version(s1(answer)));
        assertArrayEquals(c1, s2(answer));
        Wire.send(channel, Wire.concat(echo(s1(answer)), TRAILING));
        assertEquals(List.of(new HandshakeWarning(HandshakeIssue.DIGEST_FALLBACK),
                new HandshakeCompleted(HandshakeKind.PLAIN, 0x0A00_0000L)), recorder.events);
        assertEquals("digest_fallback", ((HandshakeWarning) recorder.events.get(0)).reason());
        assertArrayEquals(TRAILING, recorder.bytes());
        channel.finishAndReleaseAll();
    }

    /** First bytes of a connection that is not RTMP, and the reason reported for each. */
    @ParameterizedTest
    @CsvSource({
        "06,                               bad_version",        // RTMPE
        "00,                               bad_version",
        "ff,                               bad_version",
        "4745582f,                         bad_version",        // GEX/
        "474554202f6c6976652f7820485454,   http_request",       // GET /live/x HTT
        "504f5354202f,                     http_request",       // POST /
        "505249202a20485454502f322e30,     http_request",       // PRI * HTTP/2.0 (h2 preface)
        "1603010200010001fc0303,           tls_client_hello",   // TLS record: handshake, ClientHello
        "1602,                             bad_version",
    })
    void foreignFirstBytesCloseTheConnectionWithAReason(String hex, String reason) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        for (boolean byteByByte : new boolean[] {false, true}) {
            EmbeddedChannel channel = server(LENIENT);
            if (byteByByte) {
                for (int i = 0; i < bytes.length && channel.isOpen(); i++) {
                    Wire.send(channel, bytes, i, i + 1); // the handler decides as soon as it can tell
                }
            } else {
                Wire.send(channel, bytes);
            }
            assertFalse(channel.isOpen(), hex);
            assertEquals(reason, ((HandshakeFailed) recorder.outcome()).reason());
            assertEquals(0, Wire.drain(channel).length, "nothing answered");
            assertEquals(0, recorder.bytes().length, "nothing passed on");
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aMismatchedC2IsToleratedByDefault() {
        EmbeddedChannel channel = server(LENIENT);
        Wire.send(channel, Wire.c0c1(Wire.packet(60, 0, 0)));
        Wire.drain(channel);
        Wire.send(channel, Wire.concat(Wire.packet(61, 0, 0), TRAILING));
        assertEquals(List.of(new HandshakeWarning(HandshakeIssue.C2_MISMATCH),
                new HandshakeCompleted(HandshakeKind.PLAIN, 0)), recorder.events);
        assertArrayEquals(TRAILING, recorder.bytes());
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void aMismatchedC2IsFatalWhenConfigured() {
        EmbeddedChannel channel = server(STRICT);
        byte[] c1 = Wire.packet(62, 0, 0x0900_7C02);
        KnownAnswer.imprint(c1, 1, KnownAnswer.PLAYER_KEY, 30);
        Wire.send(channel, Wire.c0c1(c1));
        Wire.drain(channel);
        Wire.send(channel, Wire.concat(Wire.packet(63, 0, 0), TRAILING));
        assertEquals(new HandshakeFailed(HandshakeIssue.C2_MISMATCH), recorder.outcome());
        assertEquals(0, recorder.bytes().length);
        assertFalse(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    @Test
    void c0c1C2AndMoreInOneReadAreHandledInOneGo() {
        // A client that does not wait for S1 cannot echo it: tolerated, and what follows is passed on whole.
        EmbeddedChannel channel = server(LENIENT);
        Wire.send(channel, Wire.concat(Wire.c0c1(Wire.packet(64, 0, 0)), Wire.packet(65, 0, 0), TRAILING));
        assertEquals(3073, Wire.drain(channel).length);
        assertEquals(new HandshakeCompleted(HandshakeKind.PLAIN, 0), recorder.outcome());
        assertArrayEquals(TRAILING, recorder.bytes());
        channel.finishAndReleaseAll();
    }

    @Test
    void aSecondC0C1AfterTheHandshakeIsJustBytesForTheNextHandler() {
        EmbeddedChannel channel = server(LENIENT);
        byte[] c0c1 = Wire.c0c1(Wire.packet(66, 0, 0));
        Wire.send(channel, c0c1);
        byte[] s1 = s1(Wire.drain(channel));
        Wire.send(channel, Wire.concat(s1, c0c1));
        assertEquals(0, Wire.drain(channel).length, "no second answer");
        assertArrayEquals(c0c1, recorder.bytes());
        assertEquals(1, recorder.events.size());
        channel.finishAndReleaseAll();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void byteByByteDeliveryGivesTheSameResult(int digestSchema) {
        EmbeddedChannel channel = server(STRICT);
        byte[] c1 = Wire.packet(70, 0, digestSchema == 0 ? 0 : 0x0900_7C02);
        if (digestSchema == 1) {
            KnownAnswer.imprint(c1, 1, KnownAnswer.PLAYER_KEY, 30);
        }
        byte[] c0c1 = Wire.c0c1(c1);
        for (int i = 0; i < c0c1.length - 1; i++) {
            Wire.send(channel, c0c1, i, i + 1);
            assertEquals(0, Wire.drain(channel).length, "no answer before C1 is complete");
        }
        Wire.send(channel, c0c1, c0c1.length - 1, c0c1.length);
        byte[] s1 = s1(Wire.drain(channel));
        Wire.sendByteByByte(channel, Wire.concat(echo(s1), TRAILING));
        HandshakeKind kind = digestSchema == 1 ? HandshakeKind.DIGEST : HandshakeKind.PLAIN;
        assertEquals(new HandshakeCompleted(kind, HandshakePacket.version(c1)), recorder.outcome());
        assertEquals(List.of(), recorder.warnings());
        assertArrayEquals(TRAILING, recorder.bytes());
        channel.finishAndReleaseAll();
    }

    @Test
    void c0c1SplitAtEveryOffset() {
        byte[] c0c1 = Wire.c0c1(Wire.packet(80, 0, 0));
        for (int split = 1; split < c0c1.length; split++) {
            EmbeddedChannel channel = server(STRICT);
            Wire.send(channel, c0c1, 0, split);
            assertEquals(0, Wire.drain(channel).length);
            Wire.send(channel, c0c1, split, c0c1.length);
            byte[] s1 = s1(Wire.drain(channel));
            Wire.send(channel, Wire.concat(echo(s1), TRAILING));
            assertEquals(new HandshakeCompleted(HandshakeKind.PLAIN, 0), recorder.outcome(), "split " + split);
            assertArrayEquals(TRAILING, recorder.bytes(), "split " + split);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void c2AndTrailingBytesSplitAtEveryOffset() {
        byte[] c0c1 = Wire.c0c1(Wire.packet(81, 0, 0));
        for (int split = 1; split < HandshakePacket.SIZE + TRAILING.length; split++) {
            EmbeddedChannel channel = server(STRICT);
            Wire.send(channel, c0c1);
            byte[] rest = Wire.concat(echo(s1(Wire.drain(channel))), TRAILING);
            Wire.send(channel, rest, 0, split);
            assertEquals(split >= HandshakePacket.SIZE ? 1 : 0, recorder.events.size(), "split " + split);
            Wire.send(channel, rest, split, rest.length);
            assertEquals(new HandshakeCompleted(HandshakeKind.PLAIN, 0), recorder.outcome(), "split " + split);
            assertArrayEquals(TRAILING, recorder.bytes(), "split " + split);
            assertNull(channel.pipeline().get(ServerHandshakeHandler.class));
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void anUnfinishedHandshakeTimesOut() {
        EmbeddedChannel channel = server(LENIENT);
        Wire.send(channel, Wire.c0c1(Wire.packet(90, 0, 0)));
        Wire.drain(channel);
        channel.advanceTimeBy(4_999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "still within the limit");
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertFalse(channel.isOpen());
        assertEquals(new HandshakeFailed(HandshakeIssue.TIMEOUT), recorder.outcome());
        assertEquals("timeout", ((HandshakeFailed) recorder.outcome()).reason());
        channel.finishAndReleaseAll();
    }

    @Test
    void aFinishedHandshakeCancelsItsTimeout() {
        EmbeddedChannel channel = server(LENIENT);
        Wire.send(channel, Wire.c0c1(Wire.packet(91, 0, 0)));
        Wire.send(channel, echo(s1(Wire.drain(channel))));
        channel.advanceTimeBy(1, TimeUnit.HOURS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        assertEquals(new HandshakeCompleted(HandshakeKind.PLAIN, 0), recorder.outcome());
        channel.finishAndReleaseAll();
    }

    @Test
    void aPeerThatGoesAwayMidHandshakeIsReported() {
        EmbeddedChannel channel = server(LENIENT);
        Wire.send(channel, "\u0003partial".getBytes(StandardCharsets.ISO_8859_1));
        channel.close();
        assertEquals(new HandshakeFailed(HandshakeIssue.PEER_CLOSED), recorder.outcome());
        assertEquals(0, recorder.bytes().length);
        channel.finishAndReleaseAll();
    }

    @Test
    void limitsRejectANonPositiveTimeout() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new HandshakeLimits(Duration.ZERO, false));
        assertEquals(new HandshakeLimits(Duration.ofSeconds(10), false), HandshakeLimits.defaults());
    }
}
