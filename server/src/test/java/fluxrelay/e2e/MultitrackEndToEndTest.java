package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.MultitrackCapture;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An Enhanced RTMP v2 multitrack encoder: the tags FFmpeg 8.1's FLV muxer wrote for two H.264 and
 * two AAC tracks ({@link MultitrackCapture}) are published over RTMP byte for byte, looped in real
 * time. The server accepts the stream and viewers of the room's URL get track 0 (320x240), which
 * ffprobe reads and ffmpeg decodes; track 1 (160x120) is a rendition of its own
 * ({@code RenditionsEndToEndTest}) and does not reach them.
 */
class MultitrackEndToEndTest {

    @Test
    void viewersOfAMultitrackPublishGetTrackZero() throws Exception {
        try (TestServer server = TestServer.start();
             RtmpTestClient encoder = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            int stream = encoder.publish(TestServer.KEY);
            encoder.awaitStatus(StatusCodes.PUBLISH_START, Duration.ofSeconds(10));
            try (MultitrackCapture capture = MultitrackCapture.start(encoder, stream)) {
                await().atMost(Duration.ofSeconds(15)).failFast(capture.sending()::isDone)
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
            }
        }
    }
}
