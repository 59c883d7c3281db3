package fluxrelay.rtmp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.egress.FlushBatcher;
import fluxrelay.egress.FlushPolicy;
import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.MessageRun;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedChunksTest {

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static MediaFrame frame(int size) {
        byte[] body = new byte[size];
        body[0] = (byte) 0xAF;
        body[1] = 1;
        return new AudioFrame(1000, AudioCodec.AAC, false, 2, Unpooled.wrappedBuffer(body));
    }

    private ChunkedBody ask(MediaFrame frame, int chunkSize) {
        return SharedChunks.current().bodyFor(frame, loop, ByteBufAllocator.DEFAULT, chunkSize, 6, 1000);
    }

    @Test
    void viewersAfterTheFirstShareOneBodyPerFrameReleasedAfterTheDelivery() throws Exception {
        MediaFrame first = frame(10_000);
        MediaFrame second = frame(300);
        List<ChunkedBody> got = new ArrayList<>();
        int[] chunkedLength = new int[1];
        loop.submit(() -> {
            got.add(ask(first, 4096));
            got.add(ask(first, 4096));
            chunkedLength[0] = got.get(1).chunkedLength();
            got.add(ask(first, 4096));
            got.add(ask(first, 128));
            got.add(ask(second, 4096));
            got.add(ask(second, 4096));
        }).get();
        // Runs after the delivery task's clean-up task.
        loop.submit(() -> { }).get();
        assertNull(got.get(0), "the first viewer chunks the frame itself: nothing copied for a lone viewer");
        assertNotNull(got.get(1));
        assertSame(got.get(1), got.get(2), "later viewers of the same frame share the body");
        assertNull(got.get(3), "another chunk size chunks itself");
        assertNull(got.get(4), "a new frame starts over");
        assertNotNull(got.get(5));
        assertEquals(10_000 + 2, chunkedLength[0], "two one-byte continuation headers at chunk size 4096");
        assertEquals(0, got.get(1).refCnt(), "lent to the viewers only: released by the clean-up task too");
        assertEquals(0, got.get(5).refCnt(), "released by the clean-up task queued behind the delivery");
        assertEquals(1, first.refCnt(), "the frame's own reference is untouched");
        assertEquals(1, second.refCnt());
        first.release();
        second.release();
    }

    private ChunkedBody askTrack(MediaFrame frame, int track) {
        return SharedChunks.current().trackBodyFor(frame, track, loop, ByteBufAllocator.DEFAULT, 4096, 8, 1000);
    }

    @Test
    void framesOfSeveralHubsAndTheirTracksInterleavedOnALoopEachKeepTheirBody() throws Exception {
        List<MediaFrame> frames = new ArrayList<>();
        for (int i = 0; i < SharedChunks.BODY_SLOTS + 1; i++) {
            frames.add(frame(500 + i));
        }
        MediaFrame program = frames.get(0);
        MediaFrame rendition = frames.get(1);
        List<ChunkedBody> got = new ArrayList<>();
        boolean[] evicted = new boolean[1];
        loop.submit(() -> {
            // A rendition hub's members: its own viewers and multitrack viewers' track 1, in turn; a program frame between.
            got.add(ask(rendition, 4096));
            got.add(askTrack(rendition, 1));
            got.add(ask(program, 4096));
            got.add(ask(rendition, 4096));
            got.add(askTrack(rendition, 1));
            got.add(ask(program, 4096));
            got.add(ask(rendition, 4096));
            got.add(askTrack(rendition, 1));
            got.add(ask(program, 4096));
            got.add(askTrack(rendition, 2));
            // More frames than slots: the oldest slot (the rendition as itself) gives way.
            for (MediaFrame other : frames.subList(2, frames.size())) {
                ask(other, 4096);
            }
            evicted[0] = ask(rendition, 4096) == null && got.get(3).refCnt() == 0;
        }).get();
        loop.submit(() -> { }).get();
        assertNull(got.get(0));
        assertNull(got.get(1));
        assertNull(got.get(2));
        assertNotNull(got.get(3));
        assertNotNull(got.get(4));
        assertNotNull(got.get(5));
        assertSame(got.get(3), got.get(6), "the rendition's body stayed while its track and the program were asked for");
        assertSame(got.get(4), got.get(7), "the track's too");
        assertSame(got.get(5), got.get(8), "the program's too");
        assertNotSame(got.get(3), got.get(4));
        assertEquals(501 - 2 + 7, got.get(4).payloadLength(), "the OneTrack message: 7 header bytes replace the 2 of AAC");
        assertNull(got.get(9), "another track number is another message: its first viewer writes its own");
        assertTrue(evicted[0], "bounded: a frame past the slots takes the oldest one's place and releases its body");
        for (ChunkedBody body : List.of(got.get(3), got.get(4), got.get(5))) {
            assertEquals(0, body.refCnt(), "released by the clean-up task queued behind the delivery");
        }
        for (MediaFrame frame : frames) {
            assertEquals(1, frame.refCnt(), "the payload the cache held while it was a key was given back");
            frame.release();
        }
    }

    @Test
    void eachGroupOfViewersInStepGetsItsOwnRunSealedAndReleasedWithTheBatch() throws Exception {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        List<MessageRun> runs = new ArrayList<>();
        loop.submit(() -> {
            FlushBatcher batcher = FlushBatcher.forLoop(loop,
                    FlushPolicy.of(Duration.ofMillis(10), Duration.ofMillis(50), 40_000, Duration.ZERO));
            SharedChunks shared = SharedChunks.current();
            for (int i = 0; i < SharedChunks.RUN_SLOTS; i++) {
                runs.add(shared.run(batcher, alloc, "hub " + i));
            }
            assertSame(runs.get(0), shared.run(batcher, alloc, "hub " + 0), "viewers of one hub share its run");
            assertNull(shared.run(batcher, alloc, "one hub too many"), "bounded: a further group writes unmerged");
            shared.batchStarting();
            MessageRun next = shared.run(batcher, alloc, "hub 0");
            assertNotSame(runs.get(0), next, "the next batch has runs of its own");
            runs.add(next);
            for (MessageRun run : runs.subList(0, SharedChunks.RUN_SLOTS)) {
                assertTrue(run.isSealed());
                assertFalse(run.isReleased(), "kept until every viewer that joined it was flushed");
            }
            shared.batchEnded();
            shared.batchStarting();
            shared.batchEnded();
        }).get();
        for (MessageRun run : runs) {
            assertTrue(run.isReleased(), "released when its batch ended");
        }
        assertEquals(SharedChunks.RUN_SLOTS + 1, runs.stream().distinct().count(), "a run per group and batch");
    }
}
