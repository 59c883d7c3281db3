package fluxrelay.rtmp.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.egress.FlushBatcher;
import fluxrelay.egress.FlushPolicy;
import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.Lockstep;
import fluxrelay.rtmp.chunk.MessageChain;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.message.ChunkStreamIds;
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
 * Viewers of one hub on one loop following a {@link Lockstep}, driven as {@link RtmpViewer} and the loop's batcher drive
 * it: written to one by one until a flush, then following (each frame taken once, by whichever follower is handed it
 * first), catching up at their flushes. Followers whose timelines start at different points share it; one answered a
 * command leaves it; a timestamp going back ends it. Every viewer's bytes are still those of plain chunking of its own
 * messages, and the chain's blocks are all given back.
 */
class LockstepTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final int CSID = ChunkStreamIds.AUDIO;
    private static final int STREAM_ID = 1;
    private static final Object HUB = "hub";
    private static final FlushPolicy BLOCKS = new FlushPolicy(Duration.ofMillis(350), Duration.ofMillis(350), 0, 1,
            64 * 1024, 16);

    private final EventLoop loop = new DefaultEventLoop();
    private final List<MediaFrame> frames = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        loop.submit(() -> SharedChunks.current().closeChains()).get();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        for (MediaFrame frame : frames) {
            assertEquals(0, frame.refCnt(), "a frame was leaked: " + frame);
        }
    }

    /** A viewer: its connection, its timeline's shift, what it follows and the messages it should have received. */
    private static final class Viewer implements Lockstep.Follower {
        final EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        final long shift;
        final List<RawMessage> expected = new ArrayList<>();
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LockstepFrames following;
        long caughtUp;

        Viewer(long shift) {
            this.shift = shift;
        }

        ChunkEncoder encoder() {
            return channel.pipeline().get(ChunkEncoder.class);
        }

        @Override
        public void caughtUp(long messages, long bytes) {
            caughtUp += messages;
        }

        @Override
        public void left() {
            following = null;
        }

        void drain() {
            channel.flushOutbound();
            for (Object o; (o = channel.readOutbound()) != null; ) {
                ByteBuf buf = (ByteBuf) o;
                bytes.writeBytes(ByteBufUtil.getBytes(buf));
                buf.release();
            }
        }
    }

    private MediaFrame frame(long roomTimestamp, int i) {
        byte[] body = new byte[300 + 11 * (i % 5)];
        body[0] = (byte) 0xAF;
        body[1] = 1;
        for (int k = 2; k < body.length; k++) {
            body[k] = (byte) (k * 13 + i);
        }
        MediaFrame frame = new AudioFrame(roomTimestamp, AudioCodec.AAC, false, 2, Unpooled.wrappedBuffer(body));
        frames.add(frame);
        return frame;
    }

    /** Hands {@code frame} to every viewer in order, in one loop task, as the hub delivers it. */
    private void deliver(List<Viewer> viewers, MediaFrame frame, FlushBatcher batcher) throws Exception {
        loop.submit(() -> {
            for (Viewer viewer : viewers) {
                long timestamp = frame.timestamp() - viewer.shift;
                viewer.expected.add(new RawMessage(CSID, MessageTypes.AUDIO, timestamp, STREAM_ID, frame.payload().retainedDuplicate()));
                if (viewer.following != null) {
                    if (viewer.following.took(frame, System.nanoTime())) {
                        continue;
                    }
                    viewer.encoder().leaveStep();
                    assertNull(viewer.following, "a follower whose lockstep ended is told it left");
                }
                write(viewer, frame, timestamp, batcher);
            }
        }).get();
        frame.release();
    }

    /** What RtmpViewer writes for a viewer not following: the shared body when the cache has one, else a plain message. */
    private void write(Viewer viewer, MediaFrame frame, long timestamp, FlushBatcher batcher) {
        ChunkEncoder encoder = viewer.encoder();
        SharedChunks shared = SharedChunks.current();
        ChunkedBody body = shared.bodyFor(frame, loop, ALLOC, encoder.outgoingChunkSize(), CSID, timestamp);
        if (body == null || !shared.writeShared(encoder, batcher, ALLOC, HUB, CSID, MessageTypes.AUDIO, timestamp, STREAM_ID, body)) {
            viewer.channel.write(new RawMessage(CSID, MessageTypes.AUDIO, timestamp, STREAM_ID, frame.payload().retainedDuplicate()));
        }
    }

    /** Flushes every viewer, then has each one that can follow the hub's lockstep, as ChannelViewer does after a flush. */
    private void flushAndFollow(List<Viewer> viewers, FlushBatcher batcher) throws Exception {
        loop.submit(() -> {
            SharedChunks shared = SharedChunks.current();
            shared.batchStarting();
            for (Viewer viewer : viewers) {
                viewer.drain();
                if (viewer.following == null) {
                    viewer.following = shared.follow(viewer.encoder(), batcher, loop, ALLOC, HUB, STREAM_ID, viewer.shift, viewer);
                }
            }
            shared.batchEnded();
        }).get();
    }

    private static byte[] plain(List<RawMessage> messages) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        messages.forEach(channel::write);
        channel.flushOutbound();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            out.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }
        channel.finishAndReleaseAll();
        return out.toByteArray();
    }

    @Test
    void followersOnShiftedTimelinesGetTheBytesOfPlainChunking() throws Exception {
        List<Viewer> viewers = List.of(new Viewer(0), new Viewer(0), new Viewer(1000), new Viewer(4000), new Viewer(0));
        FlushBatcher[] batcher = new FlushBatcher[1];
        loop.submit(() -> batcher[0] = FlushBatcher.forLoop(loop, BLOCKS)).get();
        long room = 6000;
        int i = 0;
        for (; i < 3; i++) {
            deliver(viewers, frame(room += 21, i), batcher[0]);
        }
        flushAndFollow(viewers, batcher[0]);
        assertNull(viewers.get(0).following, "the first viewer of each frame chunks it itself: not in the chain");
        LockstepFrames lockstep = viewers.get(1).following;
        assertNotNull(lockstep, "in step after a flush");
        for (Viewer viewer : viewers.subList(2, viewers.size())) {
            assertSame(lockstep, viewer.following, "viewers on shifted timelines follow the same lockstep");
        }
        assertEquals(4, lockstep.lockstep().followers());

        for (; i < 12; i++) {
            deliver(viewers, frame(room += i % 3 == 0 ? 23 : 21, i), batcher[0]);
            if (i == 6) {
                // A command's answer to one follower: it catches up first, then writes it, and follows no more.
                Viewer answered = viewers.get(2);
                RawMessage answer = new RawMessage(3, MessageTypes.COMMAND_AMF0, 0, 0, Unpooled.wrappedBuffer(new byte[] {5, 6, 7}));
                answered.expected.add(new RawMessage(3, MessageTypes.COMMAND_AMF0, 0, 0, Unpooled.wrappedBuffer(new byte[] {5, 6, 7})));
                loop.submit(() -> answered.channel.write(answer)).get();
                assertNull(answered.following);
            }
        }
        assertEquals(3, lockstep.lockstep().followers());
        flushAndFollow(viewers, batcher[0]);
        assertSame(lockstep, viewers.get(2).following, "the answered viewer follows again after its flush");
        assertEquals(9, viewers.get(1).caughtUp, "a follower caught up with the 9 frames taken since it began");

        // A timestamp going back needs a type 0 header, absolute on each viewer's timeline: the lockstep ends there.
        deliver(viewers, frame(room - 100, i++), batcher[0]);
        assertTrue(lockstep.lockstep().ended());
        for (Viewer viewer : viewers) {
            assertNull(viewer.following);
        }
        for (int k = 0; k < 3; k++, i++) {
            deliver(viewers, frame(room += 21, i), batcher[0]);
        }
        flushAndFollow(viewers, batcher[0]);
        assertNotNull(viewers.get(1).following, "a new lockstep begins with the next flush");
        deliver(viewers, frame(room += 21, i++), batcher[0]);
        LockstepFrames second = viewers.get(1).following;
        loop.submit(() -> viewers.forEach(v -> v.encoder().leaveStep())).get();
        assertTrue(second.lockstep().ended(), "its last follower gone, a lockstep ends and lets go of its block");
        flushAndFollow(viewers, batcher[0]);

        for (Viewer viewer : viewers) {
            assertArrayEquals(plain(viewer.expected), viewer.bytes.toByteArray(), "bytes of plain chunking, shift " + viewer.shift);
        }
        MessageChain chain = loop.submit(() -> SharedChunks.current().chain(batcher[0], ALLOC, HUB)).get();
        loop.submit(() -> viewers.forEach(v -> v.encoder().leaveStep())).get();
        loop.submit(() -> SharedChunks.current().closeChains()).get();
        assertFalse(chain.isOpen());
        assertEquals(0, chain.liveBlocks(), "every block given back once nobody holds one");
        viewers.forEach(v -> v.channel.finishAndReleaseAll());
    }
}
