package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fluxrelay.hls.HlsRoom;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.BurntInClock;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * hls.js in headless Chromium plays the test server's HLS while a real-time encoder publishes a picture with
 * its wall clock burnt in: how far behind the encoder the viewer sees, for Low-Latency HLS at the default
 * settings and for MPEG-TS HLS with 1 s segments. The figures are printed, never asserted on (unit tests do
 * not assert on time); what is asserted is that playback started, kept going and hls.js reported no error.
 */
class BrowserLatencyEndToEndTest {

    private static final int SAMPLE_SECONDS = 20;
    private static final int START_TIMEOUT_SECONDS = 30;
    private static final int GOP_FRAMES = 30; // a keyframe every second at 30 fps
    private static final String ONE_SECOND_TS = "relay.hls { target-duration = 1s, playlist-max-age = 0s }";

    @BeforeEach
    void browser() throws Exception {
        BrowserPlayer.requireReady();
    }

    private static BrowserPlayer.Result watch(String hocon, String playlist, boolean lowLatency, double catchUp) throws Exception {
        try (TestServer server = TestServer.start(hocon)) {
            long epoch = System.currentTimeMillis();
            try (Ffmpeg.Run publisher = BurntInClock.publish(server.rtmpUrl("live", TestServer.KEY), epoch, GOP_FRAMES)) {
                HlsRoom room = await().atMost(Duration.ofSeconds(30)).until(() -> server.server().hls().room("demo").orElse(null),
                        r -> r != null && r.snapshot().segmentsListed() >= 2);
                assertTrue(publisher.alive(), publisher.output());
                BrowserPlayer.Result result = BrowserPlayer.play(server.httpUrl("/hls/demo/" + playlist), lowLatency, catchUp, epoch,
                        SAMPLE_SECONDS, START_TIMEOUT_SECONDS);
                assertTrue(publisher.alive(), "the publisher ran throughout: " + publisher.output());
                report(playlist + (lowLatency ? ", hls.js lowLatencyMode" : "") + ", maxLiveSyncPlaybackRate " + catchUp
                        + (hocon.isEmpty() ? ", server defaults" : ", " + hocon), result.json());
                return result;
            }
        }
    }

    private static void report(String what, JsonNode r) {
        JsonNode encoder = r.path("behindEncoderMs");
        System.out.printf("Browser latency, %s: behind the encoder p50 %d ms, max %d ms (p90 %d, min %d, %d frames; "
                        + "second half of the window p50 %d ms); behind PROGRAM-DATE-TIME p50 %d ms; hls.latency p50 %d ms, target %d ms; start-up %d ms; "
                        + "%d stalled samples, %d waiting events, %d frames dropped; hls.js %s, Chromium %s%n",
                what, encoder.path("p50").asLong(), encoder.path("max").asLong(), encoder.path("p90").asLong(),
                encoder.path("min").asLong(), encoder.path("n").asLong(), r.path("behindEncoderSecondHalfMs").path("p50").asLong(),
                r.path("behindProgramDateTimeMs").path("p50").asLong(),
                r.path("hlsLatencyMs").path("p50").asLong(), r.path("targetLatencyMs").asLong(), r.path("startupMs").asLong(),
                r.path("stalledSamples").asInt(), r.path("waitingEvents").asInt(), r.path("framesDropped").asInt(),
                r.path("hlsVersion").asText(), r.path("browser").asText());
        System.out.println("play.js: " + r);
    }

    /** Playback started, its position advanced through the sampling, frames were shown and hls.js raised no fatal or network error. */
    private static void assertPlayed(BrowserPlayer.Result result) {
        JsonNode r = result.json();
        String all = result.output();
        assertTrue(r.path("currentTimeAdvanced").asDouble() > SAMPLE_SECONDS / 2.0, "the position advanced: " + all);
        assertTrue(r.path("framesPresented").asInt() > 0, "frames were presented: " + all);
        assertTrue(r.path("clockFramesRead").asInt() > 0, "the burnt-in clock was read from presented frames: " + all);
        // Non-fatal media notes (a small hole skipped at the start) are reported; failed loads are not expected.
        for (JsonNode error : r.path("errors")) {
            assertTrue(!error.path("fatal").asBoolean() && !"networkError".equals(error.path("type").asText()),
                    "hls.js error " + error + ": " + all);
        }
    }

    @Test
    void lowLatencyHlsAtDefaultSettings() throws Exception {
        assertPlayed(watch("", HlsRoom.LOW_LATENCY_PLAYLIST, true, 1));
    }

    /**
     * hls.js never speeds up by default, so a viewer stays as far behind as it started (start-up takes a second
     * or two of wall time, during which the live edge moves on); with catch-up it converges on the target
     * latency the server asks for (PART-HOLD-BACK).
     */
    @Test
    void lowLatencyHlsWithCatchUp() throws Exception {
        assertPlayed(watch("", HlsRoom.LOW_LATENCY_PLAYLIST, true, 1.5));
    }

    /** 1 s segments need a playlist cache lifetime below a second (0: no-cache). */
    @Test
    void mpegTsHlsWithOneSecondSegments() throws Exception {
        assertPlayed(watch(ONE_SECOND_TS, "index.m3u8", true, 1));
    }

    /** hls.js holds back three target durations behind the live edge (RFC 8216bis 6.3.3): the floor for TS HLS. */
    @Test
    void mpegTsHlsWithOneSecondSegmentsAndCatchUp() throws Exception {
        assertPlayed(watch(ONE_SECOND_TS, "index.m3u8", true, 1.5));
    }
}
