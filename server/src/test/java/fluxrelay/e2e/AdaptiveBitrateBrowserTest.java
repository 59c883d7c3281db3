package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.LadderPublisher;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.ShapedLink;
import fluxrelay.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Adaptive bitrate in a browser behind a link that degrades and recovers: hls.js in Chromium, in a network namespace
 * whose download is shaped with tc, plays a room with a 2.4 Mbit/s 640x360 program and a 0.7 Mbit/s 320x180 rendition
 * (one encoder, aligned keyframes). At 10 Mbit/s it plays the program; when the link drops to 1.5 Mbit/s it switches
 * down to the rendition and keeps playing (the position never stands still 2 s or more); when the link is back to
 * 10 Mbit/s it switches up again.
 */
class AdaptiveBitrateBrowserTest {

    private static final String MAIN_KEY = "abr-main-0123456789";
    private static final String LOW_KEY = "abr-low-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void hlsJsMovesDownWhenTheLinkDegradesKeepsPlayingAndMovesUpWhenItRecovers() throws Exception {
        String unavailable = ShapedLink.unavailableReason();
        Requirements.require(unavailable == null, "shaped links: " + unavailable);
        BrowserPlayer.requireReady();
        Path dir = Files.createTempDirectory("abr-browser");
        Path started = dir.resolve("started");
        Path levels = dir.resolve("levels.json");
        Path stop = dir.resolve("stop");
        // One-second segments (a keyframe every second): a segment of the program caught on the degraded link is one
        // second of media, which hls.js abandons for the rendition's before the buffer runs out.
        try (TestServer server = TestServer.start("relay.http.host = \"0.0.0.0\"\nrelay.hls { target-duration = 1s, playlist-max-age = 0s }\n"
                + "relay.rooms = [ { id = abr, app = live, stream-name = " + MAIN_KEY + ", required-mbps = 3.5, "
                + "bandwidth-policy = warn, renditions = [ { id = 180p, stream-name = " + LOW_KEY + " } ] } ]\n");
             Ffmpeg.Run publisher = LadderPublisher.start(server.rtmpPort(), "live", MAIN_KEY, 2400, LOW_KEY, 700);
             ShapedLink link = ShapedLink.create(0, 10)) {
            AdaptiveBitrateLinksTest.bothLive(server, publisher);
            String url = "http://" + link.hostAddress() + ":" + server.httpPort() + "/hls/abr/index.m3u8";
            await().atMost(Duration.ofSeconds(30)).until(() -> fluxrelay.testing.Http.get(server.httpUrl("/hls/abr/index.m3u8"))
                    .body().contains("r/180p/stream.m3u8"));
            List<String> command = BrowserPlayer.scriptCommand("play.js", List.of("--url", url, "--no-low-latency",
                    "--epoch", "0", "--seconds", "240", "--start-timeout", "40", "--catch-up", "1", "--abr-fast-half-life", "0.5",
                    "--started-file", started.toString(), "--levels-file", levels.toString(), "--stop-file", stop.toString()));
            try (Ffmpeg.Run page = link.start(command.toArray(String[]::new))) {
                await().atMost(Duration.ofSeconds(90)).failFast(() -> !page.alive()).until(() -> Files.exists(started));
                // At 10 Mbit/s hls.js settles on the program (360 lines).
                await().atMost(Duration.ofSeconds(60)).failFast(() -> !page.alive()).until(() -> lastHeight(levels) == 360);
                // ...and plays it long enough to hold its usual buffer, as a viewer would before the link degrades.
                await().atMost(Duration.ofSeconds(60)).failFast(() -> !page.alive())
                        .pollDelay(Duration.ofSeconds(15)).until(() -> lastHeight(levels) == 360);
                long degradedAt = System.currentTimeMillis();
                link.reshape(1.5);
                await().atMost(Duration.ofSeconds(60)).failFast(() -> !page.alive()).until(() -> lastHeight(levels) == 180);
                long downAt = System.currentTimeMillis();
                // It keeps playing on the rendition for a while before the link recovers.
                await().atMost(Duration.ofSeconds(30)).failFast(() -> !page.alive())
                        .pollDelay(Duration.ofSeconds(10)).until(() -> lastHeight(levels) == 180);
                link.reshape(10);
                await().atMost(Duration.ofSeconds(120)).failFast(() -> !page.alive()).until(() -> lastHeight(levels) == 360);
                Files.createFile(stop);
                assertEquals(0, page.await(60), page.output());
                JsonNode result = BrowserPlayer.lastJson(page.output());
                System.out.printf(Locale.ROOT, "abr in chromium: down %d ms after the link dropped; switches %s; longest stall %d ms"
                                + " at %s, waiting %d, dropped frames %d, errors %s%n", downAt - degradedAt, result.path("levelSwitches"),
                        result.path("longestStallMs").asLong(), result.path("longestStallAt"), result.path("waitingEvents").asInt(),
                        result.path("framesDropped").asInt(), result.path("errors"));
                // Issue 21: no stall over 2 s. With hls.js's default abrEwmaFastLive (3 s) the move down came 9 s after the
                // drop, after four program segments that each loaded in 1.7 to 1.9 s (stalls of 0.8 to 2.5 s); with the
                // watch page's 0.5 s it comes after the one segment in flight at the drop.
                assertTrue(result.path("longestStallMs").asLong() < 2000, "a stall of 2 s or more: " + result);
                assertTrue(result.path("currentTimeAdvanced").asDouble() > 0.8 * result.path("sampledSeconds").asDouble(),
                        "played on throughout: " + result);
            }
        } finally {
            for (Path file : List.of(started, levels, stop, dir)) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The height of the quality hls.js switched to last, 0 before any switch. */
    private static int lastHeight(Path levels) throws Exception {
        if (!Files.exists(levels)) {
            return 0;
        }
        JsonNode switches = JSON.readTree(Files.readString(levels));
        return switches.isArray() && !switches.isEmpty() ? switches.get(switches.size() - 1).path("height").asInt() : 0;
    }
}
