package fluxrelay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.ShapedLink;
import fluxrelay.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watch page's bandwidth check from a browser behind a real constrained link: Chromium in a network namespace
 * whose download is shaped with tc to 2 or 10 Mbit/s, against a room requiring 3 Mbit/s under {@code enforce}.
 * Screenshots are left in {@code target/web-screenshots}.
 */
class WatchPageBandwidthBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "web-screenshots");

    @Test
    void belowTheRequirementThePageSaysPlaybackWouldBeRefusedAndAboveItSaysOk() throws Exception {
        String unavailable = ShapedLink.unavailableReason();
        Requirements.require(unavailable == null, "shaped links: " + unavailable);
        BrowserPlayer.requireReady();
        Files.createDirectories(SCREENSHOTS);
        try (TestServer server = TestServer.start("relay.http.host = \"0.0.0.0\"\n"
                + "relay.rooms = [ { id = strict, title = \"Strict room\", app = live, stream-name = strict-key-0123456789, "
                + "required-mbps = 3, bandwidth-policy = enforce } ]");
             ShapedLink slow = ShapedLink.create(0, 2);
             ShapedLink fast = ShapedLink.create(1, 10)) {
            JsonNode below = check(server, slow, "watch-bandwidth-2mbps.png");
            assertTrue(below.path("figure").asText().matches("[0-9.]+ Mbit/s, 3 Mbit/s required: too slow"), below.toString());
            double measured = Double.parseDouble(below.path("figure").asText().split(" ")[0]);
            assertTrue(measured > 1 && measured < 3, "about the link's 2 Mbit/s: " + below);
            assertTrue(below.path("meaning").asText().contains("playback would be refused"), below.toString());
            assertTrue(below.path("retryShown").asBoolean(), "the attendee can measure again: " + below);

            JsonNode above = check(server, fast, "watch-bandwidth-10mbps.png");
            assertTrue(above.path("figure").asText().matches("[0-9.]+ Mbit/s, 3 Mbit/s required: OK"), above.toString());
            assertEquals("Your connection is fast enough for this room.", above.path("meaning").asText());
            assertFalse(above.path("retryShown").asBoolean(), above.toString());
        }
    }

    private static JsonNode check(TestServer server, ShapedLink link, String screenshot) throws Exception {
        String url = "http://" + link.hostAddress() + ":" + server.httpPort() + "/watch/strict?lang=en";
        List<String> command = BrowserPlayer.scriptCommand("bandwidth.js", List.of("--url", url,
                "--screenshot", SCREENSHOTS.resolve(screenshot).toAbsolutePath().toString()));
        try (Ffmpeg.Run page = link.start(command.toArray(String[]::new))) {
            int exit = page.await(120);
            JsonNode result = BrowserPlayer.lastJson(page.output());
            assertEquals(0, exit, () -> link + ": bandwidth.js failed: " + page.output());
            return result;
        }
    }
}
