package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.BurntInClock;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hls.js in Chromium plays a live room's DVR playlist at the live edge, then seeks back near the start of the window:
 * the picture shown after the seek is the one the encoder made that much earlier, read from the clock it burnt into
 * every frame ({@link BurntInClock}), and playback goes on from there.
 */
class DvrSeekBrowserTest {

    private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+),");

    @BeforeEach
    void browser() throws Exception {
        BrowserPlayer.requireReady();
    }

    @Test
    void aLiveViewerSeeksBackInsideTheWindowAndSeesThePictureMadeThen(@TempDir Path dir) throws Exception {
        try (TestServer server = TestServer.start("relay.recording { directory = \"" + dir.resolve("rec")
                + "\", grace = 1s, min-free = 0, dvr-window = 20s }\nrelay.demo-room.record = true\n")) {
            long epoch = System.currentTimeMillis();
            String url = server.httpUrl("/hls/demo/dvr.m3u8");
            try (Ffmpeg.Run publisher = BurntInClock.publish(server.rtmpUrl("live", TestServer.KEY), epoch, 30)) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> listed(Http.get(url).body()) >= 16);
                BrowserPlayer.Result result = BrowserPlayer.playAndSeek(url, epoch, 0.1, 2, 30);
                assertTrue(publisher.alive(), "still live while the viewer seeks: " + publisher.output());

                JsonNode seek = result.json().path("seek");
                double range = seek.path("duration").asDouble();
                assertTrue(range >= 12 && range <= 24, "the seekable range is about the window: " + seek);
                JsonNode before = seek.path("before").get(0);
                JsonNode after = seek.path("after").get(0);
                double target = seek.path("target").asDouble();
                double shownAt = after.path("mediaTime").asDouble();
                assertTrue(shownAt >= target - 0.1 && shownAt <= target + 1.0, "the first picture after the seek is at "
                        + shownAt + " s, the seek asked for " + target + " s: " + seek);
                // Back in time: the media and the encoder's clock went back by the same amount, well into the window.
                double mediaBack = before.path("mediaTime").asDouble() - shownAt;
                double madeBack = (before.path("encoder").asLong() - after.path("encoder").asLong()) / 1000.0;
                assertTrue(mediaBack >= 8, "seeked " + mediaBack + " s back: " + seek);
                assertEquals(mediaBack, madeBack, 0.5 + 0.05 * mediaBack,
                        "the picture shown is the one made that long ago: " + seek);
                assertTrue(result.json().path("errors").isEmpty(), result.output());
            }
        }
    }

    private static double listed(String playlist) {
        Matcher m = EXTINF.matcher(playlist);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
