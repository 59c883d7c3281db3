package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.AcknowledgementDue;
import fluxrelay.rtmp.chunk.ChunkDecoder;
import fluxrelay.rtmp.chunk.ChunkFormatException;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.chunk.PeerTrusted;
import fluxrelay.rtmp.chunk.ReassemblyBudget;
import fluxrelay.rtmp.message.AggregateSplitter;
import fluxrelay.rtmp.message.RtmpMessage;
import fluxrelay.rtmp.message.RtmpMessageDecoder;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The inbound RTMP pipeline after the handshake (RTMP spec 5.3, 5.4, 7.1): chunk decoder, aggregate
 * splitter and message decoder, under small {@link ChunkLimits} and {@link AmfLimits} so the fuzzer
 * reaches them. The only failure allowed out of the pipeline is a {@link ChunkFormatException}, after
 * which nothing more is decoded; every message respects the limits; acknowledgements never count more
 * bytes than arrived; every buffer is released.
 *
 * <p>Budgets: the decoder shares a small server-wide {@link ReassemblyBudget} with a stranger that holds
 * part of it, so both the per-connection and the server-wide refusals are reached; inputs of odd length
 * are trusted ({@link PeerTrusted}) after their first piece. The reservations never exceed the budget
 * in force and are all given back at the end.
 */
class ChunkStreamFuzzTest {

    /** 4 KiB chunks (what ffmpeg sets), 8 KiB messages, 8 chunk streams, 12 KiB buffered (24 KiB trusted). */
    static final ChunkLimits CHUNK_LIMITS = new ChunkLimits(4096, 8192, 8, 12 * 1024, 24 * 1024);
    /** Server-wide: 30 KiB, 12 KiB of it for untrusted connections; the stranger holds 6 KiB of that. */
    private static final long SERVER_BUDGET = 30 * 1024;
    private static final long STRANGERS_SHARE = 12 * 1024;
    private static final long STRANGER_HOLDS = 6 * 1024;
    static final AmfLimits AMF_LIMITS = new AmfLimits(8, 512, 256, 8192);
    private static final int HANDSHAKE = 3073;
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
    void inboundMessages(byte[] input) {
        scope.clear();
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        Session session = new Session(HANDSHAKE + input.length);
        ReassemblyBudget budget = new ReassemblyBudget(SERVER_BUDGET, STRANGERS_SHARE);
        assertTrue(budget.tryReserve(STRANGER_HOLDS, false));
        channel.pipeline().addLast(new ChunkDecoder(CHUNK_LIMITS, HANDSHAKE, budget), new AggregateSplitter(),
                new RtmpMessageDecoder(AMF_LIMITS), session);
        boolean failed = false;
        boolean trusted = false;
        for (int[] piece : Pieces.of(input)) {
            if (trusted) {
                assertEquals(STRANGER_HOLDS, budget.reservedUntrusted(), "a trusted connection's bytes left the strangers' share");
            }
            long own = budget.reserved() - STRANGER_HOLDS;
            assertTrue(own >= 0 && own <= (trusted ? CHUNK_LIMITS.maxBufferedBytesTrusted() : CHUNK_LIMITS.maxBufferedBytes()),
                    "reserved " + own + " bytes, trusted " + trusted);
            assertTrue(budget.reserved() <= SERVER_BUDGET && budget.reservedUntrusted() <= STRANGERS_SHARE);
            int before = session.messages;
            try {
                channel.writeInbound(alloc.copyOf(input, piece[0], piece[1] - piece[0])); // rethrows what reached the tail
            } catch (ChunkFormatException e) {
                assertFalse(failed, "a second framing error after the first: " + e.getMessage());
                failed = true;
                continue;
            }
            if (failed) {
                assertEquals(before, session.messages, "messages decoded after a framing error");
                assertEquals(STRANGER_HOLDS, budget.reserved(), "a failed connection gives its reservations back");
            }
            if (!trusted && input.length % 2 == 1) {
                channel.pipeline().fireUserEventTriggered(PeerTrusted.INSTANCE);
                trusted = true;
            }
        }
        channel.finishAndReleaseAll();
        budget.release(STRANGER_HOLDS, false);
        assertEquals(0, budget.reserved(), "reservations left after the connection closed");
        assertEquals(0, budget.reservedUntrusted(), "untrusted reservations left after the connection closed");
        alloc.assertAllReleased("chunk stream");
        scope.assertNoUnexpectedFailure("chunk stream");
    }

    /** Stands for the session: checks and releases what arrives. */
    private static final class Session extends ChannelInboundHandlerAdapter {
        private final long bytesSent;
        private long lastAcknowledged;
        int messages;

        Session(long bytesSent) {
            this.bytesSent = bytesSent;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                assertTrue(msg instanceof RtmpMessage, "not an RtmpMessage: " + msg);
                if (msg instanceof ByteBufHolder holder) {
                    assertTrue(holder.content().readableBytes() <= CHUNK_LIMITS.maxMessageLength(),
                            "payload over the message limit: " + holder.content().readableBytes());
                }
                messages++;
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            assertFalse(event instanceof PeerTrusted, "the chunk decoder consumes PeerTrusted");
            if (event instanceof AcknowledgementDue due) {
                assertTrue(due.sequenceNumber() >= lastAcknowledged && due.sequenceNumber() <= bytesSent,
                        "acknowledged " + due.sequenceNumber() + " after " + lastAcknowledged + " of " + bytesSent);
                lastAcknowledged = due.sequenceNumber();
            }
        }
    }
}
