package fluxrelay.rtmp.session;

import fluxrelay.egress.FlushBatcher;
import fluxrelay.media.MediaFrame;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.MessageRun;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;

/**
 * Chunks each frame once per event loop for all the RTMP viewers on that loop (RTMP spec 5.3.1): the hub
 * hands one frame object to every viewer of a loop in one task, so the second viewer of a frame cuts a
 * {@link ChunkedBody} and it and all later viewers of that frame share it, each writing only its own first
 * chunk header. Without it every viewer cut the payload into chunk slices of its own, the main cost of
 * fan-out after the socket writes.
 *
 * <p>The first viewer of a frame gets no body and chunks the frame itself (zero-copy slices, as before), so a
 * frame only one viewer sees (a joiner's GOP cache replay, a loop with one viewer) is never copied. A body is
 * shared only by viewers asking for the same frame object, chunk stream and chunk size (and timestamp, in the
 * extended range; see {@link ChunkedBody#fits}); the encoder
 * falls back to plain chunking when a body does not fit its connection, so the bytes on the wire never depend
 * on this cache. The cache keeps one reference to the current body and gives it up in a task queued behind
 * the delivery, so nothing outlives the frame's delivery on the loop.
 *
 * <p>It also keeps the loop's {@link MessageRun} for the current flush batch: the complete encodings its viewers
 * write between two ticks of the loop's {@link FlushBatcher}, in order, so viewers in step send them as one
 * slice each. A run is sealed when a tick starts flushing and released when the batcher says that batch ended,
 * after every viewer that joined it was flushed (a viewer that writes asks for a flush; with a merged-write window
 * cut into slots, a viewer's slot may tick up to a window later, so up to one run per slot stays sealed).
 *
 * <p>One instance per event loop thread, used only there.
 */
final class SharedChunks implements FlushBatcher.BatchListener {

    private static final FastThreadLocal<SharedChunks> PER_LOOP = new FastThreadLocal<>() {
        @Override
        protected SharedChunks initialValue() {
            return new SharedChunks();
        }
    };

    private MediaFrame frame;
    private ChunkedBody body;
    private boolean forgetQueued;
    private FlushBatcher batcher;
    private MessageRun openRun;
    /** Runs sealed by the starts heard, oldest first; null for a start that found no open run. */
    private final List<MessageRun> sealedRuns = new ArrayList<>(2);

    private SharedChunks() {
    }

    /** The cache of the calling event loop thread. */
    static SharedChunks current() {
        return PER_LOOP.get();
    }

    /**
     * The shared chunked body of {@code frame} for a connection on {@code loop}, borrowed (valid until the caller
     * returns to the loop), or null when the caller should chunk the frame itself (the first viewer of the frame,
     * or a body cut for other parameters). {@code frame} is borrowed too: its reference stays with the caller.
     */
    ChunkedBody bodyFor(MediaFrame frame, EventLoop loop, ByteBufAllocator alloc, int chunkSize, int csid, long timestamp) {
        if (this.frame != frame) {
            forget();
            this.frame = frame;
            if (!forgetQueued) {
                forgetQueued = true;
                loop.execute(this::forgetAfterDelivery);
            }
            return null;
        }
        if (body == null) {
            try {
                body = ChunkedBody.of(alloc, frame.payload().retainedDuplicate(), chunkSize, csid, timestamp);
            } catch (IllegalArgumentException e) {
                // Not encodable: the plain path reports it through the chunk encoder.
                return null;
            }
        }
        if (!body.fits(chunkSize, csid, timestamp)) {
            return null;
        }
        return body;
    }

    /**
     * The loop's open run for writes that {@code batcher} flushes, or null when that batcher flushes every write at
     * once (no batch to share).
     */
    MessageRun run(FlushBatcher batcher, ByteBufAllocator alloc) {
        if (!batcher.batches()) {
            return null;
        }
        if (this.batcher != batcher) {
            this.batcher = batcher;
            batcher.addListener(this);
        }
        if (openRun == null) {
            openRun = new MessageRun(alloc);
        }
        return openRun;
    }

    @Override
    public void batchStarting() {
        if (openRun != null) {
            openRun.seal();
        }
        sealedRuns.add(openRun);
        openRun = null;
    }

    @Override
    public void batchEnded() {
        MessageRun oldest = sealedRuns.remove(0);
        if (oldest != null) {
            oldest.release();
        }
    }

    private void forgetAfterDelivery() {
        forgetQueued = false;
        forget();
    }

    private void forget() {
        if (body != null) {
            body.release();
            body = null;
        }
        frame = null;
    }
}
