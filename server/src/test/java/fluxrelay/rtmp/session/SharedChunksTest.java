package fluxrelay.rtmp.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SharedChunksTest {

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static MediaFrame frame(int size) {
        byte[] body = new byte[size];
        body[0] = (byte) 0xAF;
        body[1] = 1;
        return new AudioFrame(1000, AudioCodec.AAC, false, 2, Unpooled.wrappedBuffer(body));
    }

    @Test
    void oneBodyPerFramePerLoopReleasedAfterTheDelivery() throws Exception {
        MediaFrame first = frame(10_000);
        MediaFrame second = frame(300);
        List<ChunkedBody> bodies = new ArrayList<>();
        loop.submit(() -> {
            SharedChunks chunks = SharedChunks.current();
            bodies.add(chunks.bodyFor(first, loop, ByteBufAllocator.DEFAULT, 4096, 6, 1000));
            bodies.add(chunks.bodyFor(first, loop, ByteBufAllocator.DEFAULT, 4096, 6, 1000));
            bodies.add(chunks.bodyFor(first, loop, ByteBufAllocator.DEFAULT, 128, 6, 1000));
            bodies.add(chunks.bodyFor(second, loop, ByteBufAllocator.DEFAULT, 128, 6, 1000));
        }).get();
        // Runs after the delivery task's release task.
        loop.submit(() -> { }).get();
        assertSame(bodies.get(0), bodies.get(1), "viewers of the same frame share the body");
        assertNotSame(bodies.get(0), bodies.get(2), "another chunk size gets its own");
        assertNotSame(bodies.get(2), bodies.get(3));
        assertEquals(2, bodies.get(0).refCnt(), "only the two viewers' references are left");
        assertEquals(1, bodies.get(2).refCnt());
        assertEquals(1, bodies.get(3).refCnt());
        assertEquals(10_000 + 2 * 1, bodies.get(0).chunkedLength(), "two continuation headers at 4096");
        bodies.forEach(ChunkedBody::release);
        assertEquals(0, bodies.get(0).refCnt());
        assertEquals(1, first.refCnt(), "the frame's own reference is untouched");
        first.release();
        second.release();
    }
}
