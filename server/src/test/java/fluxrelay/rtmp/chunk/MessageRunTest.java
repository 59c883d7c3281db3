package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.drainOutbound;
import static fluxrelay.rtmp.chunk.ChunkFixtures.pattern;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.chunk.SharedWriteFixture.Message;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ChunkEncoder#writeShared} with a {@link MessageRun}: connections in step queue nothing per message and send
 * one slice of one buffer when they flush, and every connection's bytes are exactly what ordinary chunking of the
 * same messages gives, whatever else is written to it in between.
 */
class MessageRunTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ChunkedBody body(Message m) {
        return ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(m.payload()), CHUNK_SIZE, m.csid(), m.timestamp());
    }

    /** Each message chunked once and written shared to every connection, in order. */
    private static void writeAll(List<Message> messages, MessageRun run, EmbeddedChannel... connections) {
        for (Message m : messages) {
            ChunkedBody body = body(m);
            for (EmbeddedChannel connection : connections) {
                assertTrue(encoder(connection).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, run));
            }
            body.release();
        }
    }

    @Test
    void connectionsInStepSendOneSliceEachWithTheBytesOfOrdinaryChunking() {
        List<Message> messages = messages(1000, 6, MULTI_CHUNK);
        List<EmbeddedChannel> viewers = List.of(connection(), connection(), connection());
        MessageRun run = new MessageRun(ALLOC);
        List<ChunkedBody> bodies = new ArrayList<>();
        for (Message m : messages) {
            ChunkedBody body = body(m);
            bodies.add(body);
            for (EmbeddedChannel viewer : viewers) {
                assertTrue(encoder(viewer).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, run));
            }
            body.release();
        }
        for (EmbeddedChannel viewer : viewers) {
            assertTrue(viewer.outboundMessages().isEmpty(), "nothing is queued per message");
        }
        assertEquals(messages.size(), run.size(), "each encoding is kept once for all connections");
        bodies.forEach(b -> assertEquals(0, b.refCnt(), "the run keeps the encodings, not the bodies"));

        run.seal();
        byte[] expected = reference(messages, -1, null);
        for (EmbeddedChannel viewer : viewers) {
            viewer.flushOutbound();
            assertEquals(1, viewer.outboundMessages().size(), "one outbound entry per flush");
            assertArrayEquals(expected, drainOutbound(viewer));
        }
        run.release();
        assertTrue(run.isReleased());
    }

    @Test
    void aWriteOutOfTurnGoesOutInItsPlace() {
        List<Message> messages = messages(5000, 5, MULTI_CHUNK);
        EmbeddedChannel interrupted = connection();
        EmbeddedChannel steady = connection();
        MessageRun run = new MessageRun(ALLOC);
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            ChunkedBody body = body(m);
            encoder(interrupted).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, run);
            encoder(steady).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, run);
            body.release();
            if (i == 1) {
                interrupted.writeOutbound(status());
            }
        }
        run.seal();
        interrupted.flushOutbound();
        steady.flushOutbound();
        assertArrayEquals(reference(messages, 1, status()), drainOutbound(interrupted));
        assertArrayEquals(reference(messages, -1, null), drainOutbound(steady));
        run.release();
    }

    @Test
    void aConnectionOnItsOwnTimelineStaysCorrect() {
        List<Message> messages = messages(90_000, 6, MULTI_CHUNK);
        EmbeddedChannel early = connection();
        EmbeddedChannel late = connection();
        MessageRun run = new MessageRun(ALLOC);
        for (Message m : messages) {
            ChunkedBody body = body(m);
            encoder(early).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, run);
            // The late joiner's timeline starts 80 s later: its first headers differ, its deltas do not.
            encoder(late).writeShared(m.csid(), m.type(), m.timestamp() - 80_000, STREAM_ID, body, run);
            body.release();
        }
        run.seal();
        early.flushOutbound();
        late.flushOutbound();
        List<Message> shifted = messages.stream()
                .map(m -> new Message(m.csid(), m.type(), m.timestamp() - 80_000, m.payload())).toList();
        assertArrayEquals(reference(messages, -1, null), drainOutbound(early));
        assertArrayEquals(reference(shifted, -1, null), drainOutbound(late));
        run.release();
    }

    @Test
    void flushingAnOpenRunSendsThePiecesInOrder() {
        List<Message> messages = messages(0, 4, MULTI_CHUNK);
        EmbeddedChannel viewer = connection();
        MessageRun run = new MessageRun(ALLOC);
        writeAll(messages, run, viewer);
        viewer.flushOutbound();
        assertArrayEquals(reference(messages, -1, null), drainOutbound(viewer));
        assertTrue(run.isOpen(), "a connection flushed by someone else leaves the run open for the others");
        run.release();
    }

    @Test
    void aReleasedRunSendsNothingMoreAndBreaksNothing() {
        List<Message> messages = messages(0, 2, MULTI_CHUNK);
        EmbeddedChannel viewer = connection();
        MessageRun run = new MessageRun(ALLOC);
        writeAll(messages, run, viewer);
        run.seal();
        run.release();
        EmbeddedChannel fresh = connection();
        fresh.writeOutbound(status());
        viewer.writeOutbound(status());
        assertArrayEquals(drainOutbound(fresh), drainOutbound(viewer), "only the status: the unflushed stretch is dropped");
    }

    @Test
    void aBodyCutForAnotherChunkSizeIsLeftToTheOrdinaryPath() {
        EmbeddedChannel viewer = connection();
        Message m = messages(0, 1, MULTI_CHUNK).get(0);
        ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(m.payload()), 128, m.csid(), m.timestamp());
        MessageRun run = new MessageRun(ALLOC);
        assertFalse(encoder(viewer).writeShared(m.csid(), m.type(), m.timestamp(), STREAM_ID, body, run));
        assertFalse(encoder(viewer).writeShared(m.csid(), MessageTypes.SET_CHUNK_SIZE, m.timestamp(), STREAM_ID, body, run));
        assertEquals(0, run.size());
        viewer.flushOutbound();
        assertNull(viewer.readOutbound());
        body.release();
        run.release();
    }

    @Test
    void runKeepsItsPiecesUntilReleased() {
        ByteBuf a = Unpooled.directBuffer().writeBytes(pattern(100, 1));
        ByteBuf b = Unpooled.directBuffer().writeBytes(pattern(50, 2));
        MessageRun run = new MessageRun(ALLOC);
        assertEquals(0, run.append(a));
        assertEquals(1, run.append(b));
        assertEquals(2, a.refCnt());
        assertTrue(run.isAt(1, b));
        assertEquals(0, run.indexOf(a));
        assertEquals(-1, run.indexOf(Unpooled.buffer()));
        assertEquals(150, run.bytes());
        assertThrows(IllegalStateException.class, () -> run.retainedRange(0, 2), "an open run has no merged buffer");
        run.seal();
        assertThrows(IllegalStateException.class, () -> run.append(a));
        ByteBuf second = run.retainedRange(1, 1);
        assertArrayEquals(pattern(50, 2), io.netty.buffer.ByteBufUtil.getBytes(second));
        assertEquals(1, a.refCnt(), "merged: the pieces were given back");
        assertThrows(IndexOutOfBoundsException.class, () -> run.retainedRange(1, 2));
        run.release();
        assertEquals(1, second.refCnt(), "a slice handed out outlives the run");
        second.release();
        assertThrows(IllegalStateException.class, () -> run.retainedPiece(0));
        a.release();
        b.release();
    }
}
