package fluxrelay.rtmp.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.egress.FlushBatcher;
import fluxrelay.egress.FlushPolicy;
import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.MessageChain;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Merged writes cut into 8 slots, with and without merge blocks, driven as the loop's {@link FlushBatcher} drives
 * {@link SharedChunks}: frames delivered to 8 viewers of one hub, a tick every few frames flushing one slot's viewer.
 * With blocks, the viewer of slot 3 writes its whole window (8 ticks) as one buffer; with runs sealed per tick, one per
 * tick. Either way every viewer's bytes are those of ordinary chunking.
 */
class SharedChunksBlocksTest {

    private static final int SLOTS = 8;
    private static final int CSID = 6;
    private static final Object HUB = "hub";

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A viewer's connection and what its flushes wrote. */
    private static final class Viewer {
        final EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> buffersPerFlush = new ArrayList<>();

        void flush() {
            channel.flushOutbound();
            int buffers = 0;
            for (Object o; (o = channel.readOutbound()) != null; buffers++) {
                ByteBuf buf = (ByteBuf) o;
                bytes.writeBytes(ByteBufUtil.getBytes(buf));
                buf.release();
            }
            buffersPerFlush.add(buffers);
        }
    }

    private static MediaFrame frame(int i) {
        byte[] body = new byte[1500 + 7 * i];
        body[0] = (byte) 0xAF;
        body[1] = 1;
        for (int k = 2; k < body.length; k++) {
            body[k] = (byte) (k * 31 + i);
        }
        return new AudioFrame(1000 + 21L * i, AudioCodec.AAC, false, 2, Unpooled.wrappedBuffer(body));
    }

    /**
     * What RtmpViewer does with a frame on its loop: the shared body when there is one, plain chunking otherwise. The
     * cache forgets on {@code loop}, after the delivery task.
     */
    private void write(Viewer viewer, MediaFrame frame, FlushBatcher batcher) {
        ChunkEncoder encoder = viewer.channel.pipeline().get(ChunkEncoder.class);
        SharedChunks shared = SharedChunks.current();
        ChunkedBody body = shared.bodyFor(frame, loop, ByteBufAllocator.DEFAULT,
                encoder.outgoingChunkSize(), CSID, frame.timestamp());
        if (body == null || !shared.writeShared(encoder, batcher, ByteBufAllocator.DEFAULT, HUB, CSID, MessageTypes.AUDIO,
                frame.timestamp(), 1, body)) {
            viewer.channel.write(new RawMessage(CSID, MessageTypes.AUDIO, frame.timestamp(), 1, frame.payload().retainedDuplicate()));
        }
    }

    /**
     * Runs 2 windows of 8 ticks, 3 frames before each tick, each tick flushing its slot's viewer; returns the viewers,
     * slot i's at index i. The batches of the last 7 ticks stay open.
     */
    private List<Viewer> run(FlushPolicy policy, List<MessageChain> chainSeen) throws Exception {
        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            viewers.add(new Viewer());
        }
        FlushBatcher[] batcher = new FlushBatcher[1];
        loop.submit(() -> batcher[0] = FlushBatcher.forLoop(loop, policy)).get();
        int frames = 0;
        for (int tick = 0; tick < 2 * SLOTS; tick++) {
            for (int f = 0; f < 3; f++) {
                MediaFrame frame = frame(frames++);
                // One delivery per task, as the hub hands a frame to a loop's viewers; the cache forgets after it.
                loop.submit(() -> viewers.forEach(v -> write(v, frame, batcher[0]))).get();
                frame.release();
            }
            int slot = tick % SLOTS;
            boolean endsOldest = tick >= SLOTS - 1;
            loop.submit(() -> {
                SharedChunks shared = SharedChunks.current();
                shared.batchStarting();
                if (policy.mergeBlockBytes() > 0) {
                    chainSeen.add(shared.chain(batcher[0], ByteBufAllocator.DEFAULT, HUB));
                }
                viewers.get(slot).flush();
                if (endsOldest) {
                    shared.batchEnded(); // every slot ticked since the oldest start
                }
            }).get();
        }
        return viewers;
    }

    /** Flushes every viewer, then ends the batches still open, as the batcher would once every slot ticked. */
    private void flushAllAndEnd(List<Viewer> viewers) throws Exception {
        loop.submit(() -> {
            viewers.forEach(Viewer::flush);
            for (int i = 0; i < SLOTS - 1; i++) {
                SharedChunks.current().batchEnded();
            }
        }).get();
    }

    private static byte[] reference(int frames) {
        EmbeddedChannel plain = new EmbeddedChannel(new ChunkEncoder());
        for (int i = 0; i < frames; i++) {
            MediaFrame frame = frame(i);
            plain.writeOutbound(new RawMessage(CSID, MessageTypes.AUDIO, frame.timestamp(), 1, frame.payload()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = plain.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        return out.toByteArray();
    }

    @Test
    void withMergeBlocksTheViewerOfSlot3WritesItsWholeWindowAsOneBuffer() throws Exception {
        FlushPolicy policy = new FlushPolicy(Duration.ofMillis(350), Duration.ofMillis(350), 0, SLOTS, 64 * 1024, 16);
        List<MessageChain> chains = new ArrayList<>();
        List<Viewer> viewers = run(policy, chains);
        Viewer slot3 = viewers.get(3);
        assertEquals(2, slot3.buffersPerFlush.size());
        assertEquals(1, slot3.buffersPerFlush.get(1), "8 ticks of messages in one slice (the block holds them all)");
        MessageChain chain = chains.get(0);
        chains.forEach(c -> assertSame(chain, c, "one chain for the hub's viewers across ticks"));

        flushAllAndEnd(viewers);
        byte[] expected = reference(3 * 2 * SLOTS);
        for (Viewer viewer : viewers) {
            assertArrayEquals(expected, viewer.bytes.toByteArray(), "bytes of ordinary chunking");
        }
        assertEquals(1, chain.liveBlocks(), "every viewer wrote: only the chain's current block is alive");
        // Closed (as when the loop's thread ends), the chain's last block goes once no viewer holds it.
        loop.submit(() -> SharedChunks.current().closeChains()).get();
        assertFalse(chain.isOpen());
        assertEquals(0, chain.liveBlocks());
    }

    /**
     * A chain that takes nothing is closed once a whole window of ticks and a second of the loop's clock passed: ticks
     * that come faster than frames (a short flush interval cut in slots) do not close it between two frames.
     */
    @Test
    void aChainThatTakesNothingIsClosedAfterAWindowOfTicksAndASecond() {
        EmbeddedChannel clock = new EmbeddedChannel();
        clock.freezeTime();
        try {
            FlushBatcher batcher = FlushBatcher.forLoop(clock.eventLoop(), FlushPolicy.of(Duration.ofMillis(10),
                    Duration.ofMillis(50), 40_000, Duration.ZERO, 1, 1 << 20, 4, SLOTS, 1 << 20, 4));
            SharedChunks shared = SharedChunks.current();
            shared.closeChains(); // whatever an earlier test on this thread left
            Object hub = new Object();
            MessageChain chain = shared.chain(batcher, ByteBufAllocator.DEFAULT, hub);
            for (int tick = 0; tick < 200; tick++) { // 200 ticks of 1.25 ms: a quarter of a second, no frame
                clock.advanceTimeBy(1250, TimeUnit.MICROSECONDS);
                shared.batchStarting();
                shared.batchEnded();
            }
            assertTrue(chain.isOpen(), "open through 200 idle ticks within a second");
            assertSame(chain, shared.chain(batcher, ByteBufAllocator.DEFAULT, hub));
            clock.advanceTimeBy(1, TimeUnit.SECONDS);
            shared.batchStarting();
            shared.batchEnded();
            assertFalse(chain.isOpen(), "closed once idle for a second as well");
            assertNotSame(chain, shared.chain(batcher, ByteBufAllocator.DEFAULT, hub), "the hub's next viewers get a new one");
            shared.closeChains();
        } finally {
            clock.finishAndReleaseAll();
        }
    }

    @Test
    void withRunsSealedPerTickTheSameViewerWritesOneBufferPerTick() throws Exception {
        FlushPolicy policy = new FlushPolicy(Duration.ofMillis(350), Duration.ofMillis(350), 0, SLOTS);
        List<Viewer> viewers = run(policy, new ArrayList<>());
        assertEquals(SLOTS, viewers.get(3).buffersPerFlush.get(1), "a slice of each tick's run");
        flushAllAndEnd(viewers);
        byte[] expected = reference(3 * 2 * SLOTS);
        for (Viewer viewer : viewers) {
            assertArrayEquals(expected, viewer.bytes.toByteArray(), "bytes of ordinary chunking");
        }
    }
}
