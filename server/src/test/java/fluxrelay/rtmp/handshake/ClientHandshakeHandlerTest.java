package fluxrelay.rtmp.handshake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientHandshakeHandlerTest {

    private static final HandshakeLimits LENIENT = new HandshakeLimits(Duration.ofSeconds(5), false);
    private static final HandshakeLimits STRICT = new HandshakeLimits(Duration.ofSeconds(5), true);
    private static final byte[] CONNECT = "\u0003...connect".getBytes(StandardCharsets.ISO_8859_1);

    private static EmbeddedChannel channel(ChannelHandler... handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(handlers);
        return channel;
    }

    /** Client and server handlers talking through two piped EmbeddedChannels. */
    @ParameterizedTest
    @CsvSource({
        "PLAIN,  ZERO, 0x00000000",
        "DIGEST, ZERO, 0x80000702",
        "DIGEST, ONE,  0x80000702",
    })
    void clientAndServerAgree(HandshakeKind kind, DigestSchema schema, String version) throws Exception {
        ClientHandshakeHandler handler = new ClientHandshakeHandler(kind, schema, STRICT);
        Recorder clientSide = new Recorder();
        Recorder serverSide = new Recorder();
        EmbeddedChannel client = channel(handler, clientSide);
        EmbeddedChannel server = channel(new ServerHandshakeHandler(STRICT), serverSide);
        ChannelFuture early = client.writeAndFlush(Unpooled.wrappedBuffer(CONNECT)); // before the handshake

        byte[] c0c1 = Wire.drain(client);
        assertEquals(1537, c0c1.length, "the early write is held back");
        assertFalse(early.isDone());
        byte[] c1 = Arrays.copyOfRange(c0c1, 1, 1537);
        if (kind == HandshakeKind.DIGEST) {
            int index = schema.ordinal();
            assertTrue(KnownAnswer.digestValid(c1, index, KnownAnswer.PLAYER_KEY, 30), "C1 digest, schema " + index);
        }
        Wire.send(server, c0c1);
        Wire.pump(client, server);

        HandshakeCompleted expected = new HandshakeCompleted(kind, Long.decode(version));
        assertEquals(expected, handler.completion().getNow(null));
        assertEquals(List.of(expected), clientSide.events);
        assertEquals(List.of(expected), serverSide.events);
        assertNull(client.pipeline().get(ClientHandshakeHandler.class));
        assertNull(server.pipeline().get(ServerHandshakeHandler.class));

        assertTrue(early.isSuccess());
        assertArrayEquals(CONNECT, serverSide.bytes(), "the held write follows C2");
        client.writeOutbound(Unpooled.wrappedBuffer(CONNECT)); // after the handshake: straight through
        Wire.pump(client, server);
        assertArrayEquals(Wire.concat(CONNECT, CONNECT), serverSide.bytes());
        assertTrue(client.isActive() && server.isActive());
        client.finishAndReleaseAll();
        server.finishAndReleaseAll();
    }

    /** A hand-made plain server answer followed at once by the server's first chunk. */
    @Test
    void plainClientEchoesS1AndPassesOnWhatFollowsS2() {
        ClientHandshakeHandler handler = new ClientHandshakeHandler(HandshakeKind.PLAIN, LENIENT);
        Recorder recorder = new Recorder();
        EmbeddedChannel client = channel(handler, recorder);
        byte[] c1 = Arrays.copyOfRange(Wire.drain(client), 1, 1537);
        assertEquals(0, HandshakePacket.version(c1));
        byte[] s1 = Wire.packet(100, 0, 0);
        byte[] leftover = {0x02, 0x00, 0x00, 0x00};
        Wire.send(client, Wire.concat(new byte[] {3}, s1, c1, leftover));
        assertArrayEquals(s1, Wire.drain(client), "C2 echoes S1");
        assertEquals(new HandshakeCompleted(HandshakeKind.PLAIN, 0), handler.completion().getNow(null));
        assertArrayEquals(leftover, recorder.bytes());
        assertEquals(recorder.events.get(0), recorder.order.get(0));
        client.finishAndReleaseAll();
    }

    @Test
    void digestClientSettlesForPlainWhenTheServerAnswersPlainly() {
        ClientHandshakeHandler handler = new ClientHandshakeHandler(HandshakeKind.DIGEST, STRICT);
        EmbeddedChannel client = channel(handler, new Recorder());
        byte[] c1 = Arrays.copyOfRange(Wire.drain(client), 1, 1537);
        byte[] s1 = Wire.packet(101, 0, 0);
        Wire.send(client, Wire.concat(new byte[] {3}, s1, c1));
        assertArrayEquals(s1, Wire.drain(client));
        assertEquals(new HandshakeCompleted(HandshakeKind.PLAIN, ClientHandshakeHandler.CLIENT_VERSION & 0xFFFF_FFFFL),
                handler.completion().getNow(null));
        client.finishAndReleaseAll();
    }

    @Test
    void digestClientRejectsAServerVersionWithoutAValidDigest() {
        assertFails(HandshakeKind.DIGEST, STRICT, c1 -> Wire.concat(new byte[] {3}, Wire.packet(102, 0, 0x0D0E0A0D), c1),
                HandshakeIssue.S1_DIGEST_INVALID);
    }

    @Test
    void writesHeldDuringAFailedHandshakeFailAndAreReleased() {
        ClientHandshakeHandler handler = new ClientHandshakeHandler(HandshakeKind.PLAIN);
        EmbeddedChannel client = channel(handler, new Recorder());
        ByteBuf early = Unpooled.buffer().writeBytes(CONNECT);
        ChannelFuture write = client.writeAndFlush(early);
        Wire.drain(client);
        Wire.send(client, new byte[] {9}); // not even a whole answer: S0 is checked once S0+S1+S2 are in
        client.close();
        assertEquals(0, early.refCnt());
        assertEquals(HandshakeIssue.PEER_CLOSED, ((HandshakeException) write.cause()).issue());
        assertIssue(handler.completion(), HandshakeIssue.PEER_CLOSED);
        client.finishAndReleaseAll();
    }

    @Test
    void aBadS0IsFatal() {
        assertFails(HandshakeKind.PLAIN, LENIENT, c1 -> Wire.concat(new byte[] {6}, Wire.packet(103, 0, 0), c1),
                HandshakeIssue.BAD_VERSION);
    }

    @Test
    void aMismatchedS2IsFatalOnlyWhenConfigured() {
        assertFails(HandshakeKind.PLAIN, STRICT, c1 -> Wire.concat(new byte[] {3}, Wire.packet(104, 0, 0),
                Wire.packet(105, 0, 0)), HandshakeIssue.S2_MISMATCH);

        ClientHandshakeHandler handler = new ClientHandshakeHandler(HandshakeKind.PLAIN, LENIENT);
        Recorder recorder = new Recorder();
        EmbeddedChannel client = channel(handler, recorder);
        Wire.drain(client);
        Wire.send(client, Wire.concat(new byte[] {3}, Wire.packet(106, 0, 0), Wire.packet(107, 0, 0)));
        assertEquals(List.of(new HandshakeWarning(HandshakeIssue.S2_MISMATCH),
                new HandshakeCompleted(HandshakeKind.PLAIN, 0)), recorder.events);
        assertTrue(handler.completion().isDone());
        client.finishAndReleaseAll();
    }

    @Test
    void aSilentServerTimesTheClientOut() {
        ClientHandshakeHandler handler = new ClientHandshakeHandler(HandshakeKind.DIGEST, LENIENT);
        EmbeddedChannel client = channel(handler, new Recorder());
        Wire.drain(client);
        client.advanceTimeBy(5, TimeUnit.SECONDS);
        client.runScheduledPendingTasks();
        assertFalse(client.isOpen());
        assertIssue(handler.completion(), HandshakeIssue.TIMEOUT);
        client.finishAndReleaseAll();
    }

    private static void assertFails(HandshakeKind kind, HandshakeLimits limits,
                                    java.util.function.UnaryOperator<byte[]> answerToC1, HandshakeIssue issue) {
        ClientHandshakeHandler handler = new ClientHandshakeHandler(kind, limits);
        Recorder recorder = new Recorder();
        EmbeddedChannel client = channel(handler, recorder);
        byte[] c1 = Arrays.copyOfRange(Wire.drain(client), 1, 1537);
        Wire.send(client, answerToC1.apply(c1));
        assertFalse(client.isOpen());
        assertEquals(new HandshakeFailed(issue), recorder.outcome());
        assertEquals(0, Wire.drain(client).length, "no C2");
        assertIssue(handler.completion(), issue);
        client.finishAndReleaseAll();
    }

    private static void assertIssue(CompletableFuture<HandshakeCompleted> completion, HandshakeIssue issue) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> completion.get(0, TimeUnit.SECONDS));
        assertEquals(issue, ((HandshakeException) e.getCause()).issue());
    }
}
