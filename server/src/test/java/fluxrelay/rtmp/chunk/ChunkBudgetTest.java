package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.concat;
import static fluxrelay.rtmp.chunk.ChunkFixtures.drainInbound;
import static fluxrelay.rtmp.chunk.ChunkFixtures.hex;
import static fluxrelay.rtmp.chunk.ChunkFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The buffered-bytes budgets of {@link ChunkDecoder}: per connection ({@link ChunkLimits}, raised by
 * {@link PeerTrusted}) and server-wide ({@link ReassemblyBudget}), checked before allocating and given
 * back whatever way a partial message ends.
 */
class ChunkBudgetTest {

    /** 4 KiB before trust, 64 KiB after. */
    private static final ChunkLimits LIMITS = new ChunkLimits(65536, 1 << 20, 64, 4096, 65536);

    private final RecordingAllocator allocator = new RecordingAllocator();

    private EmbeddedChannel channel(ReassemblyBudget budget) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(LIMITS, 0, budget));
        channel.config().setAllocator(allocator);
        return channel;
    }

    /** A type 0 header on {@code csid} (2..63) declaring a video message of {@code length} bytes. */
    private static byte[] header(int csid, int length) {
        return concat(new byte[] {(byte) csid, 0, 0, 0, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length},
                hex("09 01000000"));
    }

    /** Starts a message on each csid with its first 128-byte chunk, never finishing it. */
    private static byte[] partials(int length, int... csids) {
        byte[] wire = new byte[0];
        for (int csid : csids) {
            wire = concat(wire, header(csid, length), pattern(128, csid));
        }
        return wire;
    }

    private static ChunkFormatException rejects(EmbeddedChannel channel, byte[] wire) {
        return assertThrows(ChunkFormatException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(wire)));
    }

    @Test
    void untrustedConnectionOverItsBudgetFailsBeforeAllocating() {
        ReassemblyBudget budget = ReassemblyBudget.unlimited();
        EmbeddedChannel channel = channel(budget);
        channel.writeInbound(Unpooled.wrappedBuffer(partials(3000, 3)));
        assertEquals(1, allocator.allocated.size());
        ChunkFormatException e = rejects(channel, partials(2000, 4)); // 3000 + 2000 > 4096
        assertTrue(e.getMessage().contains("csid 4") && e.getMessage().contains("4096")
                && e.getMessage().contains("budget"), e.getMessage());
        assertEquals(1, allocator.allocated.size(), "nothing allocated for the refused message");
        assertTrue(allocator.allReleased(), "the partial message is released on failure");
        assertEquals(0, budget.reserved());
        assertEquals(1, budget.connectionRefusals());
        assertFalse(channel.finish());
    }

    @Test
    void manyChunkStreamsOfLargePartialsAreRefusedLongBeforeTheirProduct() {
        EmbeddedChannel channel = channel(ReassemblyBudget.unlimited());
        int accepted = 0;
        try {
            for (int csid = 3; csid < 63; csid++) {
                channel.writeInbound(Unpooled.wrappedBuffer(partials(1000, csid)));
                accepted++;
            }
        } catch (ChunkFormatException e) {
            assertTrue(e.getMessage().contains("budget"), e.getMessage());
        }
        assertEquals(4, accepted, "four 1000-byte partials fit in 4096 bytes, the fifth does not");
        assertTrue(allocator.allReleased());
        assertFalse(channel.finish());
    }

    @Test
    void completedAndAbortedMessagesGiveTheirBytesBack() {
        ReassemblyBudget budget = new ReassemblyBudget(1 << 20, 1 << 19);
        EmbeddedChannel channel = channel(budget);
        for (int i = 0; i < 20; i++) { // 20 x 3000 bytes, one at a time: each fits alone
            byte[] wire = header(3, 3000);
            for (int sent = 0; sent < 3000; sent += 128) {
                wire = concat(wire, sent == 0 ? new byte[0] : hex("C3"), pattern(Math.min(128, 3000 - sent), i));
            }
            channel.writeInbound(Unpooled.wrappedBuffer(wire));
            assertEquals(3000, ((RawMessage) channel.readInbound()).payload().readableBytes());
            assertEquals(0, budget.reserved());
        }
        drainInbound(channel);
        channel.writeInbound(Unpooled.wrappedBuffer(partials(3000, 6)));
        assertEquals(3000, budget.reservedUntrusted());
        channel.writeInbound(Unpooled.wrappedBuffer(hex("02 000000 000004 02 00000000 00000006  # Abort csid 6")));
        drainInbound(channel);
        assertEquals(0, budget.reserved());
        channel.writeInbound(Unpooled.wrappedBuffer(partials(3000, 6))); // the freed budget is usable again
        assertEquals(3000, budget.reserved());
        assertFalse(channel.finish());
    }

    @Test
    void closingOrRemovingTheDecoderGivesTheBytesBack() {
        ReassemblyBudget budget = new ReassemblyBudget(1 << 20, 1 << 19);
        EmbeddedChannel closed = channel(budget);
        closed.writeInbound(Unpooled.wrappedBuffer(partials(1000, 3, 4, 5)));
        EmbeddedChannel removed = channel(budget);
        removed.writeInbound(Unpooled.wrappedBuffer(partials(1000, 3)));
        assertEquals(4000, budget.reserved());
        closed.close();
        assertEquals(1000, budget.reserved());
        removed.pipeline().remove(ChunkDecoder.class);
        assertEquals(0, budget.reserved());
        assertEquals(0, budget.reservedUntrusted());
        assertTrue(allocator.allReleased());
        assertFalse(removed.finish());
    }

    @Test
    void trustRaisesTheConnectionBudgetAndIsConsumed() {
        ReassemblyBudget budget = new ReassemblyBudget(1 << 20, 1 << 19);
        List<Object> passedOn = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(LIMITS, 0, budget), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                passedOn.add(event);
            }
        });
        channel.writeInbound(Unpooled.wrappedBuffer(partials(3000, 3)));
        channel.pipeline().fireUserEventTriggered(PeerTrusted.INSTANCE);
        assertTrue(passedOn.isEmpty(), "the decoder consumes the event");
        assertEquals(3000, budget.reserved());
        assertEquals(0, budget.reservedUntrusted(), "the reservation moved to the trusted share");
        channel.writeInbound(Unpooled.wrappedBuffer(partials(60000, 4))); // 63000 of 65536
        assertEquals(63000, budget.reserved());
        ChunkFormatException e = rejects(channel, partials(3000, 5));
        assertTrue(e.getMessage().contains("65536"), e.getMessage());
        assertEquals(0, budget.reserved());
        assertFalse(channel.finish());
    }

    @Test
    void strangersShareIsBoundedServerWideAndNeverTakesFromTrustedPeers() {
        ReassemblyBudget budget = new ReassemblyBudget(12000, 4000);
        EmbeddedChannel publisher = channel(budget);
        publisher.pipeline().fireUserEventTriggered(PeerTrusted.INSTANCE);
        EmbeddedChannel strangerA = channel(budget);
        strangerA.writeInbound(Unpooled.wrappedBuffer(partials(3000, 3)));
        EmbeddedChannel strangerB = channel(budget);
        ChunkFormatException e = rejects(strangerB, partials(2000, 3)); // within its own 4096, over the 4000 share
        assertTrue(e.getMessage().contains("server"), e.getMessage());
        assertEquals(1, budget.serverRefusals());
        assertEquals(3000, budget.reserved());
        // The publisher still has capacity minus the strangers' whole share: 8000 bytes.
        publisher.writeInbound(Unpooled.wrappedBuffer(partials(8000, 3)));
        assertEquals(11000, budget.reserved());
        assertTrue(strangerA.isOpen() && publisher.isOpen());
        EmbeddedChannel strangerC = channel(budget);
        rejects(strangerC, partials(1001, 3)); // 1000 left overall: strangers are squeezed out too
        strangerA.close();
        publisher.close();
        strangerB.close();
        strangerC.close();
        assertEquals(0, budget.reserved());
        assertEquals(0, budget.reservedUntrusted());
        assertTrue(allocator.allReleased());
    }

    @Test
    void budgetsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkLimits(65536, 1000, 64, 0, 1000));
        assertThrows(IllegalArgumentException.class, () -> new ChunkLimits(65536, 1000, 64, 2000, 1000));
        assertThrows(IllegalArgumentException.class, () -> new ReassemblyBudget(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ReassemblyBudget(1000, 1001));
        assertEquals(Long.MAX_VALUE, ChunkLimits.DEFAULTS.maxBufferedBytes());
    }
}
