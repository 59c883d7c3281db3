package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each room chooses its HLS renditions ({@code hls = both | ts | fmp4}): a TS-only room has no low-latency
 * playlist, an fMP4-only room answers its TS URLs with a 404 that names the playlist it does serve, and the
 * default room keeps both.
 */
class HlsRenditionChoiceTest {

    private TestServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = TestServer.start("relay.rooms = [\n"
                + "  { id = classic, stream-name = \"classic-key-0123456789\", hls = ts }\n"
                + "  { id = lowlatency, stream-name = \"lowlatency-key-0123456789\", hls = FMP4 }\n"
                + "]");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Ffmpeg.Run publish(String key) throws Exception {
        return Ffmpeg.startFfmpeg("-i", SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv",
                server.rtmpUrl("live", key));
    }

    private int status(String path) throws Exception {
        return Http.get(server.httpUrl(path)).statusCode();
    }

    @Test
    void eachRoomServesOnlyTheRenditionsItChose() throws Exception {
        try (Ffmpeg.Run classic = publish("classic-key-0123456789");
             Ffmpeg.Run lowLatency = publish("lowlatency-key-0123456789");
             Ffmpeg.Run demo = publish(TestServer.KEY)) {
            assertEquals(0, classic.await(60), classic.output());
            assertEquals(0, lowLatency.await(60), lowLatency.output());
            assertEquals(0, demo.await(60), demo.output());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> status("/hls/classic/stream.m3u8") == 200
                && status("/hls/lowlatency/ll.m3u8") == 200 && status("/hls/demo/ll.m3u8") == 200);

        assertEquals(404, status("/hls/classic/ll.m3u8"), "a TS-only room has no low-latency playlist");
        assertEquals(200, status("/hls/classic/index.m3u8"));

        HttpResponse<String> tsOfLowLatency = Http.get(server.httpUrl("/hls/lowlatency/index.m3u8"));
        assertEquals(404, tsOfLowLatency.statusCode());
        assertTrue(tsOfLowLatency.body().contains("/hls/lowlatency/ll.m3u8"), tsOfLowLatency.body());
        assertEquals(404, status("/hls/lowlatency/stream.m3u8"));
        String[] ll = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            ll[0] = Http.get(server.httpUrl("/hls/lowlatency/ll.m3u8")).body();
            return ll[0].contains("#EXT-X-ENDLIST");
        });
        assertTrue(ll[0].contains("#EXT-X-PART:"), ll[0]);

        assertEquals(200, status("/hls/demo/index.m3u8"), "rooms without the key keep both renditions");
        assertEquals(200, status("/hls/demo/ll-index.m3u8"), "rooms with both have the LL-HLS multivariant playlist");
        assertEquals(404, status("/hls/classic/ll-index.m3u8"), "a TS-only room has no LL-HLS multivariant playlist");
        HttpResponse<String> llIndexOfLowLatency = Http.get(server.httpUrl("/hls/lowlatency/ll-index.m3u8"));
        assertEquals(404, llIndexOfLowLatency.statusCode());
        assertTrue(llIndexOfLowLatency.body().contains("/hls/lowlatency/ll.m3u8"), llIndexOfLowLatency.body());
    }
}
