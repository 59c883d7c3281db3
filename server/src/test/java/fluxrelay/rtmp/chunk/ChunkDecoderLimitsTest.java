package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.concat;
import static fluxrelay.rtmp.chunk.ChunkFixtures.drainInbound;
import static fluxrelay.rtmp.chunk.ChunkFixtures.hex;
import static fluxrelay.rtmp.chunk.ChunkFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing errors and limits of {@link ChunkDecoder} (RTMP spec 5.3.1, 5.4.1), and buffer release. */
class ChunkDecoderLimitsTest {

    private final RecordingAllocator allocator = new RecordingAllocator();

    private EmbeddedChannel channel(ChunkLimits limits) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(limits));
        channel.config().setAllocator(allocator);
        return channel;
    }

    private static ChunkFormatException rejects(EmbeddedChannel channel, byte[] wire) {
        return assertThrows(ChunkFormatException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(wire)));
    }

    @Test
    void declaredLengthOverTheLimitFailsBeforeAnyMessageBuffer() {
        EmbeddedChannel channel = channel(new ChunkLimits(65536, 1000, 64));
        ChunkFormatException e = rejects(channel, hex("""
                03 000000
                0003E9        # declares 1001 bytes, limit 1000
                09 01000000
                """));
        assertTrue(e.getMessage().contains("csid 3"), e.getMessage());
        assertTrue(e.getMessage().contains("fmt 0"), e.getMessage());
        assertTrue(e.getMessage().contains("1001") && e.getMessage().contains("1000"), e.getMessage());
        assertEquals(0, allocator.largestRequest(), "nothing allocated for the message");
        assertFalse(channel.finish());
    }

    @Test
    void declaredLengthIsNeverAllocatedUpFront() {
        EmbeddedChannel channel = channel(ChunkLimits.DEFAULTS);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(hex("""
                06 000000
                FFFFFF        # declares 16 MiB - 1
                09 01000000
                """), pattern(100, 0))));
        assertEquals(ChunkDecoder.MAX_INITIAL_ALLOCATION, allocator.largestRequest());
        assertFalse(channel.finish());
        assertTrue(allocator.allReleased(), "partial message released on close");
    }

    @Test
    void tooManyChunkStreams() {
        EmbeddedChannel channel = channel(new ChunkLimits(65536, 1000, 2));
        channel.writeInbound(Unpooled.wrappedBuffer(hex("""
                03 000000 000001 14 00000000 01
                04 000000 000001 08 01000000 02
                43 000000 000001 14 03          # csid 3 again: still two streams
                """)));
        assertEquals(3, drainInbound(channel).size());
        ChunkFormatException e = rejects(channel, hex("05 000000 000001 09 01000000 04  # a third csid"));
        assertTrue(e.getMessage().contains("csid 5") && e.getMessage().contains("more than 2"), e.getMessage());
    }

    @Test
    void chunkSizeZero() {
        ChunkFormatException e = rejects(channel(ChunkLimits.DEFAULTS),
                hex("02 000000 000004 01 00000000 00000000  # Set Chunk Size 0"));
        assertTrue(e.getMessage().contains("Set Chunk Size 0"), e.getMessage());
    }

    @Test
    void chunkSizeAboveTheLimit() {
        ChunkFormatException e = rejects(channel(new ChunkLimits(4096, 1000, 64)),
                hex("02 000000 000004 01 00000000 00001001  # Set Chunk Size 4097, limit 4096"));
        assertTrue(e.getMessage().contains("4097") && e.getMessage().contains("4096"), e.getMessage());
    }

    @Test
    void chunkSizeAtTheLimitIsAccepted() {
        EmbeddedChannel channel = channel(new ChunkLimits(4096, 1000, 64));
        ChunkDecoder decoder = channel.pipeline().get(ChunkDecoder.class);
        channel.writeInbound(Unpooled.wrappedBuffer(hex("02 000000 000004 01 00000000 00001000")));
        assertEquals(4096, decoder.incomingChunkSize());
        assertEquals(1, drainInbound(channel).size());
    }

    @Test
    void compressedHeaderWithoutATypeZeroHeaderFirst() {
        for (String wire : List.of("44 000000 000001 08 01", "84 000000 01", "C4 01")) {
            ChunkFormatException e = rejects(channel(ChunkLimits.DEFAULTS), hex(wire));
            assertTrue(e.getMessage().contains("csid 4") && e.getMessage().contains("no type 0 header"),
                    e.getMessage());
        }
    }

    @Test
    void newHeaderInTheMiddleOfAMessage() {
        ChunkFormatException e = rejects(channel(ChunkLimits.DEFAULTS), concat(
                hex("06 000000 0000C8 09 01000000  # 200 bytes"), pattern(128, 0),
                hex("86 000021                     # fmt 2 instead of a continuation")));
        assertTrue(e.getMessage().contains("csid 6 fmt 2") && e.getMessage().contains("200")
                && e.getMessage().contains("128"), e.getMessage());
        assertTrue(allocator.allReleased(), "partial message released on the error");
    }

    @Test
    void controlMessageTooShort() {
        ChunkFormatException e = rejects(channel(ChunkLimits.DEFAULTS),
                hex("02 000000 000002 05 00000000 0001  # Window Ack Size with 2 bytes"));
        assertTrue(e.getMessage().contains("type 5") && e.getMessage().contains("2 bytes"), e.getMessage());
        assertTrue(allocator.allReleased());
    }

    @Test
    void errorReachesExceptionCaughtAndLaterInputIsDiscarded() {
        List<Throwable> caught = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(ChunkLimits.DEFAULTS),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        caught.add(cause);
                    }
                });
        channel.writeInbound(Unpooled.wrappedBuffer(hex("C9 01  # fmt 3 on a new csid")));
        assertEquals(1, caught.size());
        assertInstanceOf(ChunkFormatException.class, caught.get(0));
        assertTrue(channel.isOpen(), "the decoder leaves closing to the session");
        channel.writeInbound(Unpooled.wrappedBuffer(hex("03 000000 000001 14 00000000 01  # valid, but too late")));
        assertTrue(drainInbound(channel).isEmpty());
        assertEquals(1, caught.size());
        assertFalse(channel.finish());
    }

    @Test
    void partialMessagesReleasedWhenTheHandlerIsRemoved() {
        EmbeddedChannel channel = channel(ChunkLimits.DEFAULTS);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(
                hex("06 000000 0000C8 09 01000000"), pattern(128, 0),
                hex("07 000000 0000C8 09 01000000"), pattern(100, 1))));
        assertFalse(allocator.allReleased());
        channel.pipeline().remove(ChunkDecoder.class);
        assertTrue(allocator.allReleased());
        assertFalse(channel.finish());
    }

    @Test
    void abortReleasesThePartialMessageAtOnce() {
        EmbeddedChannel channel = channel(ChunkLimits.DEFAULTS);
        channel.writeInbound(Unpooled.wrappedBuffer(concat(hex("06 000000 0000C8 09 01000000"), pattern(128, 0))));
        assertFalse(allocator.allReleased());
        channel.writeInbound(Unpooled.wrappedBuffer(hex("02 000000 000004 02 00000000 00000006  # Abort csid 6")));
        drainInbound(channel);
        assertTrue(allocator.allReleased());
        assertFalse(channel.finish());
    }

    @Test
    void limitsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkLimits(127, 1000, 64));
        assertThrows(IllegalArgumentException.class, () -> new ChunkLimits(65536, 0, 64));
        assertThrows(IllegalArgumentException.class, () -> new ChunkLimits(65536, 16 * 1024 * 1024 + 1, 64));
        assertThrows(IllegalArgumentException.class, () -> new ChunkLimits(65536, 1000, 0));
        assertThrows(IllegalArgumentException.class, () -> new ChunkLimits(65536, 1000, 65599));
        assertEquals(new ChunkLimits(65536, 16 * 1024 * 1024, 64), ChunkLimits.DEFAULTS);
    }
}
