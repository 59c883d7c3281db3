package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.drainOutbound;
import static fluxrelay.rtmp.chunk.SharedWriteFixture.CHUNK_SIZE;
import static fluxrelay.rtmp.chunk.SharedWriteFixture.MULTI_CHUNK;
import static fluxrelay.rtmp.chunk.SharedWriteFixture.STREAM_ID;
import static fluxrelay.rtmp.chunk.SharedWriteFixture.connection;
import static fluxrelay.rtmp.chunk.SharedWriteFixture.encoder;
import static fluxrelay.rtmp.chunk.SharedWriteFixture.messages;
import static fluxrelay.rtmp.chunk.SharedWriteFixture.reference;
import static fluxrelay.rtmp.chunk.SharedWriteFixture.status;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.chunk.SharedWriteFixture.Message;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ChunkEncoder#writeShared} with a {@link MessageChain}: a connection's contiguous messages leave as one slice per
 * block however many deliveries (and flush ticks) they span, blocks are freed once the last connection holding them
 * has written, the chain stays within its block limit, and every connection's bytes are exactly those of ordinary
 * chunking.
 */
class MessageChainTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    /** One delivery: message {@code m} chunked once and written shared to every connection, in order. */
    private static void deliver(Message m, MessageChain chain, EmbeddedChannel... connections) {
        ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(m.payload()), CHUNK_SIZE, m.csid(), m.timestamp());
        for (EmbeddedChannel connection : connections) {
            assertTrue(encoder(connection).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, chain));
        }
        body.release();
        chain.forgetRecent();
    }

    @Test
    void aStretchSpanningManyFlushesOfOthersLeavesAsOneSliceWithTheBytesOfOrdinaryChunking() {
        List<Message> messages = messages(1000, 12, MULTI_CHUNK);
        EmbeddedChannel everyTick = connection();
        EmbeddedChannel oncePerWindow = connection();
        MessageChain chain = new MessageChain(ALLOC, 256 * 1024, 4);
        List<byte[]> early = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            deliver(messages.get(i), chain, everyTick, oncePerWindow);
            if (i % 2 == 1) {
                everyTick.flushOutbound();
                assertEquals(1, everyTick.outboundMessages().size(), "one slice per flush");
                early.add(drainOutbound(everyTick));
            }
        }
        assertTrue(oncePerWindow.outboundMessages().isEmpty(), "nothing queued per message");
        oncePerWindow.flushOutbound();
        assertEquals(1, oncePerWindow.outboundMessages().size(), "six flushes of another connection later, still one slice");
        byte[] expected = reference(messages, -1, null);
        assertArrayEquals(expected, drainOutbound(oncePerWindow));
        assertArrayEquals(expected, ChunkFixtures.concat(early.toArray(byte[][]::new)));
        chain.close();
        assertEquals(0, chain.liveBlocks());
    }

    @Test
    void aStretchCrossingBlocksIsOneSlicePerBlockAndBlocksAreFreedAfterTheLastWriter() {
        // Blocks smaller than the big video message: it continues over three blocks.
        List<Message> messages = messages(0, 6, 2500);
        RecordingAllocator alloc = new RecordingAllocator();
        MessageChain chain = new MessageChain(alloc, 1024, 64);
        EmbeddedChannel first = connection();
        EmbeddedChannel last = connection();
        for (Message m : messages) {
            deliver(m, chain, first, last);
        }
        assertTrue(chain.liveBlocks() > 3, "blocks filled since are held by the connections' stretches");
        first.flushOutbound();
        int slices = first.outboundMessages().size();
        assertTrue(slices == chain.liveBlocks() && slices > 3, "one slice per block the stretch touches: " + slices);
        byte[] expected = reference(messages, -1, null);
        assertArrayEquals(expected, drainOutbound(first));
        assertEquals(slices, chain.liveBlocks(), "the other connection still holds the blocks");
        last.flushOutbound();
        assertEquals(1, chain.liveBlocks(), "once the last holder wrote its slices only the current block is left");
        assertArrayEquals(expected, drainOutbound(last));
        chain.close();
        assertEquals(0, chain.liveBlocks());
        assertTrue(alloc.allReleased(), "every block's buffer was released once its slices were written");
    }

    @Test
    void aConnectionThatIsNotFlushedCannotGrowTheChainPastItsLimit() {
        List<Message> messages = messages(0, 40, 1500);
        MessageChain chain = new MessageChain(ALLOC, 1024, 3);
        EmbeddedChannel stalled = connection();
        EmbeddedChannel steady = connection();
        ByteArrayOutputStream steadyBytes = new ByteArrayOutputStream();
        for (Message m : messages) {
            deliver(m, chain, stalled, steady);
            assertTrue(chain.liveBlocks() <= 3, "at most the limit alive: " + chain.liveBlocks());
            steady.flushOutbound();
            steadyBytes.writeBytes(drainOutbound(steady));
        }
        stalled.flushOutbound();
        byte[] expected = reference(messages, -1, null);
        assertArrayEquals(expected, drainOutbound(stalled), "pieces written one by one past the limit, bytes unchanged");
        assertArrayEquals(expected, steadyBytes.toByteArray());
        chain.close();
        assertEquals(0, chain.liveBlocks());
    }

    @Test
    void aWriteOutOfTurnGoesOutInItsPlace() {
        List<Message> messages = messages(5000, 5, MULTI_CHUNK);
        EmbeddedChannel interrupted = connection();
        EmbeddedChannel steady = connection();
        MessageChain chain = new MessageChain(ALLOC, 64 * 1024, 4);
        for (int i = 0; i < messages.size(); i++) {
            deliver(messages.get(i), chain, interrupted, steady);
            if (i == 1) {
                interrupted.writeOutbound(status());
            }
        }
        interrupted.flushOutbound();
        steady.flushOutbound();
        assertArrayEquals(reference(messages, 1, status()), drainOutbound(interrupted));
        assertArrayEquals(reference(messages, -1, null), drainOutbound(steady));
        chain.close();
    }

    @Test
    void aConnectionOnItsOwnTimelineOrSkippingAMessageStaysCorrect() {
        List<Message> messages = messages(90_000, 6, MULTI_CHUNK);
        EmbeddedChannel early = connection();
        EmbeddedChannel late = connection();
        EmbeddedChannel dropping = connection();
        MessageChain chain = new MessageChain(ALLOC, 64 * 1024, 4);
        List<Message> kept = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(m.payload()), CHUNK_SIZE, m.csid(), m.timestamp());
            encoder(early).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, chain);
            // The late joiner's timeline starts 80 s later: its first headers differ, its deltas do not.
            encoder(late).writeShared(m.csid(), m.type(), m.timestamp() - 80_000, STREAM_ID, body, chain);
            if (i != 2) {
                encoder(dropping).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, chain);
                kept.add(m);
            }
            body.release();
            chain.forgetRecent();
        }
        early.flushOutbound();
        late.flushOutbound();
        dropping.flushOutbound();
        List<Message> shifted = messages.stream()
                .map(m -> new Message(m.csid(), m.type(), m.timestamp() - 80_000, m.payload())).toList();
        assertArrayEquals(reference(messages, -1, null), drainOutbound(early));
        assertArrayEquals(reference(shifted, -1, null), drainOutbound(late));
        assertArrayEquals(reference(kept, -1, null), drainOutbound(dropping));
        chain.close();
        assertEquals(0, chain.liveBlocks());
    }

    @Test
    void aClosedChainTakesNothingMoreButHeldStretchesStillLeave() {
        List<Message> messages = messages(0, 4, 2000);
        EmbeddedChannel viewer = connection();
        MessageChain chain = new MessageChain(ALLOC, 64 * 1024, 4);
        deliver(messages.get(0), chain, viewer);
        deliver(messages.get(1), chain, viewer);
        chain.close();
        assertFalse(chain.isOpen());
        assertEquals(1, chain.liveBlocks(), "the viewer's stretch holds its block");
        deliver(messages.get(2), chain, viewer);
        deliver(messages.get(3), chain, viewer);
        assertEquals(2, chain.size(), "nothing added after close");
        viewer.flushOutbound();
        assertArrayEquals(reference(messages, -1, null), drainOutbound(viewer));
        assertEquals(0, chain.liveBlocks());
    }

    @Test
    void aClosingConnectionLetsGoOfItsStretch() {
        List<Message> messages = messages(0, 3, 2000);
        EmbeddedChannel viewer = connection();
        MessageChain chain = new MessageChain(ALLOC, 64 * 1024, 4);
        for (Message m : messages) {
            deliver(m, chain, viewer);
        }
        chain.close();
        assertEquals(1, chain.liveBlocks());
        viewer.close();
        assertEquals(0, chain.liveBlocks(), "an unflushed stretch is not sent to a closing connection");
        viewer.finishAndReleaseAll();
    }
}
