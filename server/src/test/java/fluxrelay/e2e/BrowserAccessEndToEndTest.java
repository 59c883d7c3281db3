package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fluxrelay.access.AccessTokens;
import fluxrelay.hls.HlsRoom;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.BurntInClock;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * hls.js in headless Chromium plays a token room with the attendee's access token on the playlist URL only: the
 * server writes the token into every URI it lists (parts, segments, the init segment), so the player's own
 * requests carry it; without a token the playlist is refused.
 */
class BrowserAccessEndToEndTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0002";
    private static final int SAMPLE_SECONDS = 10;

    @BeforeEach
    void browser() throws Exception {
        BrowserPlayer.requireReady();
    }

    @Test
    void hlsJsPlaysATokenRoomWithTheTokenOnThePlaylistUrlAlone() throws Exception {
        try (TestServer server = TestServer.start("relay.access.secrets = [\"" + SECRET + "\"]\n"
                + "relay.demo-room.viewer-access = token")) {
            long epoch = System.currentTimeMillis();
            try (Ffmpeg.Run publisher = BurntInClock.publish(server.rtmpUrl("live", TestServer.KEY), epoch, 30)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> server.server().hls().room("demo").orElse(null),
                        (HlsRoom r) -> r != null && r.snapshot().segmentsListed() >= 2);
                assertEquals(401, Http.get(server.httpUrl("/hls/demo/ll.m3u8")).statusCode(), "no token, no playlist");
                String token = new AccessTokens(List.of(SECRET)).sign("demo", Instant.now().plusSeconds(3600), "attendee-1", null);
                BrowserPlayer.Result result = BrowserPlayer.play(server.httpUrl("/hls/demo/ll.m3u8?access=" + token), true, 1.5,
                        epoch, SAMPLE_SECONDS, 30);
                JsonNode r = result.json();
                assertTrue(r.path("currentTimeAdvanced").asDouble() > SAMPLE_SECONDS / 2.0, "the position advanced: " + result.output());
                assertTrue(r.path("framesPresented").asInt() > 0, "frames were presented: " + result.output());
                for (JsonNode error : r.path("errors")) {
                    assertTrue(!error.path("fatal").asBoolean() && !"networkError".equals(error.path("type").asText()),
                            "hls.js error " + error + ": " + result.output());
                }
                assertTrue(publisher.alive(), publisher.output());
            }
        }
    }
}
