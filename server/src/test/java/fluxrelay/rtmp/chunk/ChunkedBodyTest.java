package fluxrelay.rtmp.chunk;

import static fluxrelay.rtmp.chunk.ChunkFixtures.drainOutbound;
import static fluxrelay.rtmp.chunk.ChunkFixtures.hex;
import static fluxrelay.rtmp.chunk.ChunkFixtures.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ChunkedBody} and {@link PreChunkedMessage}: the same bytes as ordinary chunking, built once. */
class ChunkedBodyTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int chunkSize : new int[] {128, 4096}) {
            for (int size : new int[] {0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 10 * chunkSize + 3}) {
                for (int csid : new int[] {6, 320}) {
                    for (long firstTimestamp : new long[] {1000, 0xFFFFFF - 40, 0xFFFFFFFFL - 100}) {
                        out.add(Arguments.of(chunkSize, size, csid, firstTimestamp));
                    }
                }
            }
        }
        return out.stream();
    }

    /**
     * Four messages 33 ms apart (fmt 0, then 1/2/3 while the timestamp fits 24 bits, fmt 0 when it
     * needs the extended field), written once plainly and once pre-chunked.
     */
    @ParameterizedTest(name = "chunk size {0}, {1} bytes, csid {2}, from ts {3}")
    @MethodSource("cases")
    void preChunkedBytesEqualOrdinaryChunking(int chunkSize, int size, int csid, long firstTimestamp) {
        EmbeddedChannel plain = encoderAt(chunkSize);
        EmbeddedChannel pre = encoderAt(chunkSize);
        for (int i = 0; i < 4; i++) {
            long ts = (firstTimestamp + 33L * i) & 0xFFFFFFFFL;
            byte[] payload = pattern(size, i);
            plain.writeOutbound(new RawMessage(csid, 9, ts, 1, Unpooled.wrappedBuffer(payload)));
            ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(payload), chunkSize, csid, ts);
            assertEquals(size + Math.max(0, (size - 1) / chunkSize) * continuationLength(csid, ts),
                    body.chunkedLength());
            pre.writeOutbound(new PreChunkedMessage(csid, 9, ts, 1, body));
            ByteBuf out = pre.readOutbound();
            assertFalse(out instanceof CompositeByteBuf, "the body's complete encoding, one buffer");
            pre.writeOutbound(out);
            assertEquals(0, body.refCnt());
            assertArrayEquals(drainOutbound(plain), drainOutbound(pre), "message " + i + " at ts " + ts);
        }
        assertFalse(plain.finish());
        assertFalse(pre.finish());
    }

    private static int continuationLength(int csid, long ts) {
        return (csid < 64 ? 1 : csid < 320 ? 2 : 3) + (ts >= 0xFFFFFF ? 4 : 0);
    }

    /** An encoder that has already switched to {@code chunkSize}, its Set Chunk Size output dropped. */
    private static EmbeddedChannel encoderAt(int chunkSize) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        if (chunkSize != 128) {
            channel.writeOutbound(new RawMessage(2, 1, 0, 0, Unpooled.buffer(4).writeInt(chunkSize)));
            drainOutbound(channel);
        }
        return channel;
    }

    @Test
    void oneBodySharedByManyConnections() {
        byte[] payload = pattern(1000, 9);
        ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(payload), 128, 6, 40);
        List<byte[]> written = new ArrayList<>();
        for (int viewer = 0; viewer < 50; viewer++) {
            EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
            channel.writeOutbound(new PreChunkedMessage(6, 9, 40, 1, body.retain()));
            written.add(drainOutbound(channel));
            assertFalse(channel.finish());
        }
        assertEquals(1, body.refCnt());
        byte[] plain = ChunkFixtures.encode(List.of(ChunkFixtures.msg(6, 9, 40, 1, payload)));
        for (byte[] bytes : written) {
            assertArrayEquals(plain, bytes);
        }
        body.release();
        assertEquals(0, body.refCnt());
    }

    @Test
    void viewersOnOwnTimelinesShareTheBodyUnlessTheTimestampIsExtended() {
        byte[] payload = pattern(1000, 5);
        ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(payload), 128, 6, 40);
        assertTrue(body.fits(128, 6, 90_000));
        assertFalse(body.fits(128, 6, 0xFFFFFF));
        assertFalse(body.fits(4096, 6, 40));
        assertFalse(body.fits(128, 7, 40));
        for (long timestamp : new long[] {0, 33, 90_000}) {
            EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
            channel.writeOutbound(new PreChunkedMessage(6, 9, timestamp, 1, body.retain()));
            assertArrayEquals(ChunkFixtures.encode(List.of(ChunkFixtures.msg(6, 9, timestamp, 1, payload))),
                    drainOutbound(channel));
            assertFalse(channel.finish());
        }
        body.release();
        ChunkedBody extended = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(payload), 128, 6, 0x1000000L);
        assertTrue(extended.fits(128, 6, 0x1000000L));
        assertFalse(extended.fits(128, 6, 0x1000001L));
        assertFalse(extended.fits(128, 6, 40));
        extended.release();
    }

    @Test
    void connectionsInTheSameStateShareOneEncodingAndOthersStillGetTheirOwnBytes() {
        byte[] previous = pattern(9000, 1);
        byte[] payload = pattern(9000, 2);
        // Five connections that got the previous frame (format 2, delta 33), one that joined now (format 0),
        // one whose previous frame had another length (format 1) and one another timestamp (format 2, delta
        // 50): four header variants, of which the body keeps the first two.
        List<EmbeddedChannel> channels = new ArrayList<>();
        List<EmbeddedChannel> plains = new ArrayList<>();
        long[] previousTimestamps = {967, 967, 967, 967, 967, -1, 967, 950};
        int[] previousLengths = {9000, 9000, 9000, 9000, 9000, 0, 3000, 9000};
        for (int i = 0; i < previousTimestamps.length; i++) {
            EmbeddedChannel pre = encoderAt(4096);
            EmbeddedChannel plain = encoderAt(4096);
            if (previousTimestamps[i] >= 0) {
                byte[] before = previousLengths[i] == 9000 ? previous : pattern(previousLengths[i], 1);
                pre.writeOutbound(new RawMessage(7, 9, previousTimestamps[i], 1, Unpooled.wrappedBuffer(before)));
                plain.writeOutbound(new RawMessage(7, 9, previousTimestamps[i], 1, Unpooled.wrappedBuffer(before)));
                drainOutbound(pre);
                drainOutbound(plain);
            }
            channels.add(pre);
            plains.add(plain);
        }
        ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(payload), 4096, 7, 1000);
        List<ByteBuf> outs = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).writeOutbound(new PreChunkedMessage(7, 9, 1000, 1, body.retain()));
            plains.get(i).writeOutbound(new RawMessage(7, 9, 1000, 1, Unpooled.wrappedBuffer(payload)));
            outs.add(channels.get(i).readOutbound());
        }
        for (int i = 1; i < 5; i++) {
            assertEquals(outs.get(0).unwrap(), outs.get(i).unwrap(), "in-sync connection " + i + " writes the shared bytes");
        }
        assertFalse(outs.get(5) instanceof CompositeByteBuf, "the second variant (format 0) is kept too");
        assertEquals(2, ((CompositeByteBuf) outs.get(6)).numComponents(), "a third variant: own header + shared chunks");
        assertEquals(2, ((CompositeByteBuf) outs.get(7)).numComponents(), "a fourth too");
        for (int i = 0; i < channels.size(); i++) {
            channels.get(i).writeOutbound(outs.get(i));
            assertArrayEquals(drainOutbound(plains.get(i)), drainOutbound(channels.get(i)), "connection " + i);
            assertFalse(channels.get(i).finish());
            assertFalse(plains.get(i).finish());
        }
        assertEquals(1, body.refCnt());
        body.release();
    }

    /** The body no longer fits this connection: the encoder chunks the original payload itself. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("mismatches")
    void fallsBackWhenTheBodyDoesNotFit(String why, int encoderChunkSize, int csid, long ts) {
        byte[] payload = pattern(5000, 3);
        EmbeddedChannel plain = encoderAt(encoderChunkSize);
        EmbeddedChannel pre = encoderAt(encoderChunkSize);
        plain.writeOutbound(new RawMessage(csid, 8, ts, 1, Unpooled.wrappedBuffer(payload)));
        ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(payload), 128, 6, 0x1000000);
        pre.writeOutbound(new PreChunkedMessage(csid, 8, ts, 1, body));
        assertEquals(0, body.refCnt());
        assertArrayEquals(drainOutbound(plain), drainOutbound(pre));
        assertFalse(plain.finish());
        assertFalse(pre.finish());
    }

    static Stream<Arguments> mismatches() {
        return Stream.of(
                Arguments.of("encoder chunk size 4096, body cut at 128", 4096, 6, 0x1000000L),
                Arguments.of("chunk stream 7, body cut for 6", 128, 7, 0x1000000L),
                Arguments.of("timestamp 20, body cut for 0x1000000", 128, 6, 20L));
    }

    @Test
    void setChunkSizeSentPreChunkedStillSwitchesTheEncoder() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        ChunkedBody body = ChunkedBody.of(ALLOC, Unpooled.wrappedBuffer(hex("00000100")), 128, 2, 0);
        channel.writeOutbound(new PreChunkedMessage(2, 1, 0, 0, body));
        assertEquals(256, channel.pipeline().get(ChunkEncoder.class).outgoingChunkSize());
        drainOutbound(channel);
        assertFalse(channel.finish());
    }

    @Test
    void invalidArgumentsReleaseThePayload() {
        ByteBuf p1 = Unpooled.buffer(1).writeByte(1);
        assertThrows(IllegalArgumentException.class, () -> ChunkedBody.of(ALLOC, p1, 0, 6, 0));
        ByteBuf p2 = Unpooled.buffer(1).writeByte(1);
        assertThrows(IllegalArgumentException.class, () -> ChunkedBody.of(ALLOC, p2, 128, 1, 0));
        ByteBuf p3 = Unpooled.buffer(1).writeByte(1);
        assertThrows(IllegalArgumentException.class, () -> ChunkedBody.of(ALLOC, p3, 128, 6, -1));
        ByteBuf p4 = Unpooled.buffer(1).writeByte(1);
        assertThrows(IllegalArgumentException.class, () -> ChunkedBody.of(ALLOC, p4, 128, 6, 0x1_0000_0000L));
        for (ByteBuf p : List.of(p1, p2, p3, p4)) {
            assertEquals(0, p.refCnt());
        }
    }
}
