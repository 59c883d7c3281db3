package fluxrelay.testing;

import fluxrelay.flv.FlvReader;
import fluxrelay.flv.FlvTag;
import fluxrelay.flv.FlvTagDemuxer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the real Enhanced RTMP v2 multitrack capture (test resource {@code media/h264x2-aac-x2-multitrack-4s.flv},
 * FFmpeg 8.1: H.264 320x240 and 160x120, two AAC tracks) over RTMP, tag by tag, looped in real time; each loop goes on
 * where the last ended. Closing it stops the loop and frees the tags.
 */
public final class MultitrackCapture implements AutoCloseable {

    /** How long one loop of the capture lasts, ms. */
    public static final long LOOP_MS = 4040;

    private final List<FlvTag> tags;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final CompletableFuture<Void> sending;

    private MultitrackCapture(List<FlvTag> tags, RtmpTestClient encoder, int stream) {
        this.tags = tags;
        this.sending = CompletableFuture.runAsync(() -> send(encoder, stream));
    }

    /** Starts sending on {@code stream} of {@code encoder}, which is publishing. */
    public static MultitrackCapture start(RtmpTestClient encoder, int stream) throws Exception {
        return new MultitrackCapture(tags(), encoder, stream);
    }

    /** Completes (normally or not) when the sending stopped. */
    public CompletableFuture<Void> sending() {
        return sending;
    }

    private void send(RtmpTestClient encoder, int stream) {
        long start = System.nanoTime();
        for (long loop = 0; running.get(); loop++) {
            for (FlvTag tag : tags) {
                if (!running.get()) {
                    return;
                }
                if (isEndOfSequence(tag)) {
                    continue; // the capture ends its tracks; a loop goes on instead
                }
                long timestamp = tag.timestamp() + loop * LOOP_MS;
                long wait = timestamp - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (wait > 0) {
                    try {
                        Thread.sleep(wait); // pacing an encoder, not waiting for a result
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                ByteBuf body = tag.body().retainedDuplicate();
                if (tag.type() == FlvTagDemuxer.SCRIPT) {
                    encoder.sendData(stream, timestamp, body);
                } else {
                    encoder.sendMedia(stream, tag.type(), timestamp, body);
                }
            }
        }
    }

    private static boolean isEndOfSequence(FlvTag tag) {
        ByteBuf body = tag.body();
        return tag.type() == FlvTagDemuxer.VIDEO && body.readableBytes() >= 2
                && body.getUnsignedByte(body.readerIndex()) == 0x17 && body.getUnsignedByte(body.readerIndex() + 1) == 2;
    }

    private static List<FlvTag> tags() throws Exception {
        try (InputStream in = MultitrackCapture.class.getResourceAsStream("/media/h264x2-aac-x2-multitrack-4s.flv")) {
            ByteBuf file = Unpooled.wrappedBuffer(in.readAllBytes());
            try {
                return FlvReader.readAll(file);
            } finally {
                file.release();
            }
        }
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        try {
            sending.get(10, TimeUnit.SECONDS);
        } finally {
            tags.forEach(FlvTag::release);
        }
    }
}
