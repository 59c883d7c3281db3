package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.rtmp.handshake.HandshakeCompleted;
import fluxrelay.rtmp.handshake.HandshakeFailed;
import fluxrelay.rtmp.handshake.HandshakeIssue;
import fluxrelay.rtmp.handshake.HandshakeKind;
import fluxrelay.rtmp.handshake.HandshakeLimits;
import fluxrelay.rtmp.handshake.ServerHandshakeHandler;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The server side of the RTMP handshake (RTMP spec 5.2) fed arbitrary bytes, in the reads a socket
 * might cut them into. Whatever arrives: nothing is thrown down the pipeline; the handshake either
 * completes exactly when C0 is 3 and C0+C1+C2 (3073 bytes) are in, answering S0+S1+S2 once and handing
 * every later byte, unchanged, to the next handler; or it fails and closes; or it is still waiting and
 * the timeout closes it. Every buffer is released.
 */
class HandshakeFuzzTest {

    private static final int C0_C1 = 1537;
    private static final int HANDSHAKE = 3073;
    private static final HandshakeLimits LIMITS = new HandshakeLimits(Duration.ofSeconds(10), false);
    private static FuzzScope scope;

    @BeforeAll
    static void openScope() {
        scope = FuzzScope.open();
    }

    @AfterAll
    static void closeScope() {
        scope.close();
    }

    @FuzzTest
    void serverHandshake(byte[] input) {
        scope.clear();
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        Next next = new Next();
        channel.pipeline().addLast(new ServerHandshakeHandler(LIMITS), next);
        for (int[] piece : Pieces.of(input)) {
            if (!channel.isOpen()) {
                break;
            }
            channel.writeInbound(alloc.copyOf(input, piece[0], piece[1] - piece[0]));
            channel.checkException();
        }
        boolean rtmp = input.length > 0 && input[0] == 3;
        boolean complete = rtmp && input.length >= HANDSHAKE;
        assertEquals(complete, next.completed != null, "handshake completed");
        assertEquals(rtmp && input.length >= C0_C1 ? 1 + 2 * 1536 : 0, outbound(channel).length, "S0+S1+S2 bytes");
        if (complete) {
            assertNull(channel.pipeline().get(ServerHandshakeHandler.class), "the handler removes itself");
            assertArrayEquals(Arrays.copyOfRange(input, HANDSHAKE, input.length), next.bytes.toByteArray(),
                    "bytes after C2 go to the next handler unchanged");
            assertTrue(next.failures.isEmpty(), "failed after completing: " + next.failures);
        } else {
            assertEquals(0, next.bytes.size(), "nothing passes an unfinished handshake");
            if (channel.isOpen()) {
                channel.advanceTimeBy(LIMITS.timeout().toNanos(), TimeUnit.NANOSECONDS);
                channel.runScheduledPendingTasks();
                assertEquals(List.of(HandshakeIssue.TIMEOUT), next.failures, "an unfinished handshake times out");
            }
            assertFalse(channel.isOpen(), "a failed handshake closes the connection");
        }
        channel.finishAndReleaseAll();
        alloc.assertAllReleased("handshake");
        scope.assertNoUnexpectedFailure("handshake");
    }

    private static byte[] outbound(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            out.writeBytes(bytes);
            buf.release();
        }
        byte[] bytes = out.toByteArray();
        if (bytes.length > 0) {
            assertEquals(3, bytes[0], "S0");
        }
        return bytes;
    }

    /** Stands for the chunk decoder: keeps the bytes and the handshake's events. */
    private static final class Next extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<HandshakeIssue> failures = new ArrayList<>();
        HandshakeCompleted completed;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] copy = new byte[buf.readableBytes()];
            buf.readBytes(copy);
            bytes.writeBytes(copy);
            buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof HandshakeCompleted done) {
                assertNull(completed, "completed twice");
                assertTrue(done.kind() == HandshakeKind.PLAIN || done.kind() == HandshakeKind.DIGEST);
                completed = done;
            } else if (event instanceof HandshakeFailed failed && failed.issue() != HandshakeIssue.PEER_CLOSED) {
                failures.add(failed.issue());
            }
        }
    }
}
