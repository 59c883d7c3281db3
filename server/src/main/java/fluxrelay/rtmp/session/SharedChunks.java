package fluxrelay.rtmp.session;

import fluxrelay.media.MediaFrame;
import fluxrelay.rtmp.chunk.ChunkedBody;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Chunks each frame once per event loop for all the RTMP viewers on that loop (RTMP spec 5.3.1): the hub
 * hands one frame object to every viewer of a loop in one task, so the first viewer cuts a
 * {@link ChunkedBody} and the others reuse it, each writing only its own first chunk header. Without it every
 * viewer cut the payload into chunk slices of its own, the main cost of fan-out after the socket writes.
 *
 * <p>A body is shared only by viewers asking for the same frame object, chunk stream, chunk size and
 * timestamp; anything else gets a body of its own (the encoder falls back to plain chunking when a body does
 * not fit its connection, so the bytes on the wire never depend on this cache). The cache keeps one reference
 * to the current body and gives it up in a task queued behind the delivery, so nothing outlives the frame's
 * delivery on the loop. One instance per event loop thread, used only there.
 */
final class SharedChunks {

    private static final FastThreadLocal<SharedChunks> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected SharedChunks initialValue() {
            return new SharedChunks();
        }
    };

    private MediaFrame frame;
    private ChunkedBody body;
    private boolean releaseQueued;

    private SharedChunks() {
    }

    /** The cache of the calling event loop thread. */
    static SharedChunks current() {
        return PER_LOOP.get();
    }

    /**
     * A reference to the chunked body of {@code frame} for a connection on {@code loop}; the caller owns the
     * returned reference. {@code frame} is borrowed: its reference stays with the caller.
     */
    ChunkedBody bodyFor(MediaFrame frame, EventLoop loop, ByteBufAllocator alloc, int chunkSize, int csid, long timestamp) {
        ChunkedBody cached = body;
        if (cached != null && this.frame == frame && cached.chunkSize() == chunkSize && cached.chunkStreamId() == csid
                && cached.timestamp() == timestamp) {
            return cached.retain();
        }
        ChunkedBody fresh = ChunkedBody.of(alloc, frame.payload().retainedDuplicate(), chunkSize, csid, timestamp);
        clear();
        this.frame = frame;
        this.body = fresh;
        if (!releaseQueued) {
            releaseQueued = true;
            loop.execute(this::releaseAfterDelivery);
        }
        return fresh.retain();
    }

    private void releaseAfterDelivery() {
        releaseQueued = false;
        clear();
    }

    private void clear() {
        if (body != null) {
            body.release();
            body = null;
        }
        frame = null;
    }
}
