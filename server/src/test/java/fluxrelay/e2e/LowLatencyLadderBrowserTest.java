package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.stream.FeedId;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.MultitrackCapture;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * hls.js in Chromium, in low-latency mode, loading a room's LL-HLS multivariant playlist ({@code ll-index.m3u8}) while
 * a real multitrack encoder's capture plays ({@link MultitrackCapture}: 320x240 and 160x120): it is offered both
 * qualities, so it can switch between them, and plays from parts.
 */
class LowLatencyLadderBrowserTest {

    @Test
    void hlsJsInLowLatencyModeSeesBothQualities() throws Exception {
        BrowserPlayer.requireReady();
        try (TestServer server = TestServer.start("relay.hls { target-duration = 1s, playlist-max-age = 0s }");
             RtmpTestClient encoder = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            int stream = encoder.publish(TestServer.KEY);
            encoder.awaitStatus(StatusCodes.PUBLISH_START, Duration.ofSeconds(10));
            try (MultitrackCapture capture = MultitrackCapture.start(encoder, stream)) {
                await().atMost(Duration.ofSeconds(15)).failFast(capture.sending()::isDone).until(() -> server.server().streams()
                        .find(FeedId.rendition("demo", "120p")).map(hub -> hub.snapshot().visible()).orElse(false));
                HlsTestClient hls = new HlsTestClient(server.httpUrl("/hls/demo/"));
                await().atMost(Duration.ofSeconds(20)).failFast(capture.sending()::isDone).until(() -> hls.playlist("ll-index.m3u8"),
                        text -> text != null && text.contains("r/120p/ll.m3u8"));

                BrowserPlayer.Result result = BrowserPlayer.play(server.httpUrl("/hls/demo/ll-index.m3u8"), true, 1, 0, 3, 30);
                JsonNode levels = result.json().path("manifestLevels");
                java.util.Set<Integer> heights = new java.util.TreeSet<>();
                levels.forEach(level -> heights.add(level.path("height").asInt()));
                assertEquals(2, levels.size(), result.output());
                assertEquals(java.util.Set.of(120, 240), heights, result.output());
                assertTrue(result.json().path("currentTimeAdvanced").asDouble() > 0, result.output());
                assertTrue(result.json().path("trace").toString().contains("loading part"), "hls.js did not load parts: "
                        + result.output());
            }
        }
    }
}
