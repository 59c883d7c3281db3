package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.stream.FeedId;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.MultitrackCapture;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renditions from a real multitrack encoder: FFmpeg 8.1's capture of two H.264 tracks (320x240, 160x120) and two AAC
 * tracks, replayed over RTMP ({@link MultitrackCapture}). Track 1 becomes rendition {@code 120p} of room {@code demo}:
 * RTMP and HTTP-FLV viewers asking for it get 160x120 H.264, an unknown rendition is refused naming the available
 * ones, and the room's own URLs keep playing track 0.
 */
class RenditionsEndToEndTest {

    private static TestServer server;
    private static RtmpTestClient encoder;
    private static MultitrackCapture capture;

    @BeforeAll
    static void publish() throws Exception {
        server = TestServer.start();
        encoder = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live");
        int stream = encoder.publish(TestServer.KEY);
        encoder.awaitStatus(StatusCodes.PUBLISH_START, Duration.ofSeconds(10));
        capture = MultitrackCapture.start(encoder, stream);
        await().atMost(Duration.ofSeconds(15)).failFast(capture.sending()::isDone).until(() -> server.server().streams()
                .find(FeedId.rendition("demo", "120p")).map(hub -> hub.snapshot().visible()).orElse(false));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (capture != null) {
                capture.close();
            }
        } finally {
            if (encoder != null) {
                encoder.close();
            }
            server.close();
        }
    }

    @Test
    void rtmpViewersAskingForARenditionGetIt() throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", server.rtmpUrl("live", "demo?rendition=120p"))) {
            assertEquals(0, probe.await(30), probe.output());
            assertTrue(probe.output().contains("h264,160,120"), probe.output());
            assertTrue(probe.output().contains("aac"), probe.output());
            assertFalse(probe.output().contains("320,240"), probe.output());
        }
    }

    @Test
    void httpFlvViewersAskingForARenditionGetIt() throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", server.httpUrl("/live/demo.flv?rendition=120p"))) {
            assertEquals(0, probe.await(30), probe.output());
            assertTrue(probe.output().contains("h264,160,120"), probe.output());
            assertFalse(probe.output().contains("320,240"), probe.output());
        }
    }

    @Test
    void theRoomsOwnUrlStillPlaysTrackZero() throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                "-of", "csv=p=0", server.httpUrl("/live/demo.flv"))) {
            assertEquals(0, probe.await(30), probe.output());
            assertTrue(probe.output().contains("h264,320,240"), probe.output());
        }
    }

    @Test
    void anUnknownRenditionIsRefusedNamingTheAvailableOnes() throws Exception {
        try (RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            viewer.play("demo?rendition=1080p");
            var status = viewer.awaitStatus(StatusCodes.PLAY_STREAM_NOT_FOUND, Duration.ofSeconds(10));
            String description = ((AmfObject) status.argument(0)).getString("description");
            assertEquals("No rendition '1080p' in room demo; available: 120p (or none for the main picture).", description);
        }
        HttpResponse<String> flv = Http.get(server.httpUrl("/live/demo.flv?rendition=1080p"));
        assertEquals(404, flv.statusCode());
        assertTrue(flv.body().contains("available: 120p"), flv.body());
    }
}
