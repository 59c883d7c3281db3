package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.flv.FlvReader;
import fluxrelay.flv.FlvTag;
import fluxrelay.flv.FlvTagDemuxer;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.TestServer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * An Enhanced RTMP v2 multitrack encoder: the tags FFmpeg 8.1's FLV muxer wrote for two H.264 and
 * two AAC tracks (test resource {@code media/h264x2-aac-x2-multitrack-4s.flv}) are published over
 * RTMP byte for byte, looped in real time. The server accepts the stream and its viewers get track 0
 * (320x240), which ffprobe reads and ffmpeg decodes; track 1 (160x120) does not reach them.
 */
class MultitrackEndToEndTest {

    private static final long LOOP_MS = 4040;

    @Test
    void viewersOfAMultitrackPublishGetTrackZero() throws Exception {
        List<FlvTag> tags = tags();
        AtomicBoolean running = new AtomicBoolean(true);
        try (TestServer server = TestServer.start();
             RtmpTestClient encoder = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            int stream = encoder.publish(TestServer.KEY);
            encoder.awaitStatus(StatusCodes.PUBLISH_START, Duration.ofSeconds(10));
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> send(encoder, stream, tags, running));
            try {
                await().atMost(Duration.ofSeconds(15)).failFast(sending::isDone)
                        .until(() -> server.server().streams().stream("demo", true).snapshot().visible());
                try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                        "-of", "csv=p=0", server.rtmpUrl("live", "demo"))) {
                    assertEquals(0, probe.await(30), probe.output());
                    assertTrue(probe.output().contains("h264,320,240"), probe.output());
                    assertTrue(probe.output().contains("aac"), probe.output());
                    assertFalse(probe.output().contains("160,120"), probe.output());
                }
                try (Ffmpeg.Run player = Ffmpeg.startFfmpeg("-v", "info", "-i", server.rtmpUrl("live", "demo"), "-t", "2",
                        "-f", "null", "-")) {
                    assertEquals(0, player.await(40), player.output());
                    assertTrue(player.output().matches("(?s).*frame=\\s*[1-9]\\d+.*"), player.output());
                }
                assertTrue(encoder.isOpen(), "the multitrack publisher is still connected");
            } finally {
                running.set(false);
                sending.get(10, TimeUnit.SECONDS);
            }
        } finally {
            tags.forEach(FlvTag::release);
        }
    }

    /** Sends the capture's tags in a loop at their own pace; each loop is shifted to go on where the last ended. */
    private static void send(RtmpTestClient encoder, int stream, List<FlvTag> tags, AtomicBoolean running) {
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
        try (InputStream in = MultitrackEndToEndTest.class.getResourceAsStream("/media/h264x2-aac-x2-multitrack-4s.flv")) {
            ByteBuf file = Unpooled.wrappedBuffer(in.readAllBytes());
            try {
                return FlvReader.readAll(file);
            } finally {
                file.release();
            }
        }
    }
}
