package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.BurntInClock;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hls.js in Chromium plays a finished recording's replay link and seeks to the middle: the picture shown after the
 * seek is the one the encoder made at that point, read from the clock it burnt into every frame
 * ({@link BurntInClock}), not a picture from the start or a frozen one.
 */
class ReplaySeekBrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "a-replay-secret-of-forty-characters-000";

    @BeforeEach
    void browser() throws Exception {
        BrowserPlayer.requireReady();
    }

    @Test
    void seekingToTheMiddleOfAReplayShowsThePictureFromTheMiddle(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start("relay.recording { directory = \"" + dir.resolve("rec")
                + "\", grace = 1s, min-free = 0 }\nrelay.demo-room.record = true\nrelay.hls.enabled = false\n"
                + "relay.access.secrets = [\"" + SECRET + "\"]\n")) {
            long epoch = System.currentTimeMillis();
            try (Ffmpeg.Run publisher = BurntInClock.publish(server.rtmpUrl("live", TestServer.KEY), epoch, 30)) {
                // about 16 s at 1 Mbit/s
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> recording(server),
                        r -> r.get("size").asLong() >= 2_000_000);
                assertTrue(publisher.alive(), publisher.output());
            }
            JsonNode recording = await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> recording(server),
                    r -> r.get("state").asText().equals("ready"));
            JsonNode link = JSON.readTree(Http.get(server.httpUrl("/api/recordings/" + recording.get("id").asText()
                    + "/replay")).body());
            BrowserPlayer.Result result = BrowserPlayer.playAndSeek(server.httpUrl(link.get("url").asText()), epoch, 0.5, 2, 30);

            JsonNode seek = result.json().path("seek");
            double duration = seek.path("duration").asDouble();
            assertEquals(recording.get("duration").asDouble(), duration, 1.0, seek.toString());
            JsonNode before = seek.path("before").get(0);
            JsonNode after = seek.path("after").get(0);
            double target = seek.path("target").asDouble();
            double shownAt = after.path("mediaTime").asDouble();
            assertTrue(shownAt >= target - 0.1 && shownAt <= target + 1.0, "the first picture after the seek is at "
                    + shownAt + " s, the seek asked for " + target + " s: " + seek);
            // The encoder's clock says when the picture was made: half-way through the recording, not near its start.
            double madeAfterStart = (after.path("encoder").asLong() - before.path("encoder").asLong()) / 1000.0;
            double mediaAfterStart = shownAt - before.path("mediaTime").asDouble();
            assertEquals(mediaAfterStart, madeAfterStart, 0.5 + 0.05 * mediaAfterStart,
                    "the picture shown is the one made at that point of the recording: " + seek);
            assertTrue(madeAfterStart >= 0.4 * duration, "made " + madeAfterStart + " s in, of " + duration + " s: " + seek);
            assertTrue(result.json().path("errors").isEmpty(), result.output());
        }
    }

    private static JsonNode recording(TestServer server) throws Exception {
        JsonNode all = JSON.readTree(Http.get(server.httpUrl("/api/recordings")).body()).get("recordings");
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }
}
