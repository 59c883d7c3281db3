package fluxrelay.rtmp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import fluxrelay.media.AudioCodec;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.rtmp.chunk.ChunkedBody;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
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
        assertEquals(0, got.get(1).refCnt(), "lent to the viewers only: released when the next frame came");
        assertEquals(0, got.get(5).refCnt(), "released by the clean-up task queued behind the delivery");
        assertEquals(1, first.refCnt(), "the frame's own reference is untouched");
        assertEquals(1, second.refCnt());
        first.release();
        second.release();
    }
}
