package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.drainOutbound;
import static fluxrelay.rtmp.chunk.ChunkFixtures.hex;
import static fluxrelay.rtmp.chunk.ChunkFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ChunkEncoder} beyond the golden table: no copies, atomic writes, rejected messages. */
class ChunkEncoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());

    @Test
    void payloadIsSlicedNotCopied() {
        ByteBuf payload = Unpooled.buffer(300).writeBytes(pattern(300, 5));
        channel.writeOutbound(new RawMessage(6, 9, 0, 1, payload.retain()));
        ByteBuf out = channel.readOutbound();
        payload.setByte(0, 0x77).setByte(299, 0x78);
        byte[] wire = ByteBufUtil.getBytes(out);
        assertEquals(0x77, wire[12], "first payload byte, after the 12-byte header");
        assertEquals(0x78, wire[wire.length - 1], "last payload byte, in the third chunk");
        out.release();
        assertEquals(1, payload.refCnt(), "the encoder released its reference and its slices");
        payload.release();
    }

    @Test
    void oneMessageIsOneWriteWithTheCallersPromise() {
        ChannelFuture future = channel.writeOneOutbound(new RawMessage(3, 9, 0, 1, Unpooled.wrappedBuffer(pattern(1000, 1))));
        channel.flushOutbound();
        assertTrue(future.isSuccess());
        ByteBuf out = channel.readOutbound();
        assertEquals(12 + 1000 + 7, out.readableBytes(), "header, payload, seven fmt 3 headers");
        out.release();
        assertNull(channel.readOutbound());
    }

    @Test
    void setChunkSizeSwitchesForWhatFollows() {
        ChunkEncoder encoder = channel.pipeline().get(ChunkEncoder.class);
        assertEquals(128, encoder.outgoingChunkSize());
        channel.writeOutbound(new RawMessage(2, MessageTypes.SET_CHUNK_SIZE, 0, 0, Unpooled.wrappedBuffer(hex("00001000"))));
        assertEquals(4096, encoder.outgoingChunkSize());
        drainOutbound(channel);
        channel.writeOutbound(new RawMessage(6, 9, 0, 1, Unpooled.wrappedBuffer(pattern(4097, 1))));
        assertEquals(12 + 4097 + 1, drainOutbound(channel).length, "two chunks at 4096");
    }

    @Test
    void invalidMessagesFailThePromiseReleaseAndChangeNothing() {
        ChunkEncoder encoder = channel.pipeline().get(ChunkEncoder.class);
        List<RawMessage> invalid = List.of(
                new RawMessage(1, 9, 0, 1, Unpooled.buffer(1).writeByte(1)),
                new RawMessage(65600, 9, 0, 1, Unpooled.buffer(1).writeByte(1)),
                new RawMessage(3, 256, 0, 1, Unpooled.buffer(1).writeByte(1)),
                new RawMessage(3, 9, -1, 1, Unpooled.buffer(1).writeByte(1)),
                new RawMessage(3, 9, 0x1_0000_0000L, 1, Unpooled.buffer(1).writeByte(1)),
                new RawMessage(3, 9, 0, 1, Unpooled.buffer(0x1000000).writerIndex(0x1000000)),
                new RawMessage(2, 1, 0, 0, Unpooled.wrappedBuffer(hex("00000000"))),
                new RawMessage(2, 1, 0, 0, Unpooled.wrappedBuffer(hex("80000080"))),
                new RawMessage(2, 1, 0, 0, Unpooled.wrappedBuffer(hex("0010"))));
        for (RawMessage m : invalid) {
            ChannelFuture future = channel.writeOneOutbound(m);
            assertFalse(future.isSuccess(), m.toString());
            assertInstanceOf(EncoderException.class, future.cause());
            assertEquals(0, m.refCnt(), "released: " + m);
        }
        assertEquals(128, encoder.outgoingChunkSize());
        channel.writeOutbound(new RawMessage(3, 9, 0, 1, Unpooled.wrappedBuffer(hex("AF"))));
        assertArrayEquals(hex("03 000000 000001 09 01000000 AF  # still a new chunk stream: fmt 0"),
                drainOutbound(channel));
    }

    @Test
    void otherMessagesPassThrough() {
        ByteBuf handshake = Unpooled.wrappedBuffer(hex("03"));
        channel.writeOutbound(handshake);
        ByteBuf out = channel.readOutbound();
        assertSame(handshake, out);
        out.release();
        assertFalse(channel.finish());
    }
}
