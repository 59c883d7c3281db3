package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthSnapshot;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.Http;
import fluxrelay.testing.JsonFields;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bandwidth on HLS against the real server: enforce needs a passing probe token on playlists and media, the
 * answered playlists carry a playback token into every URI, and segment deliveries judge each client.
 */
class HlsBandwidthEndToEndTest {

    private static final String UA = "User-Agent";
    private static TestServer server;

    @BeforeAll
    static void publishOnce() throws Exception {
        server = TestServer.start("relay.bandwidth { required-mbps = 3, policy = warn, monitor.flag-after = 1s }\n"
                + "relay.rooms = [ { id = strict, stream-name = \"strict-key-0123456789\", bandwidth-policy = enforce },\n"
                + "  { id = fussy, stream-name = \"fussy-key-0123456789\", bandwidth-policy = enforce, required-mbps = 100000 } ]");
        String in = SampleMedia.file(SampleMedia.AV_720P).toString();
        try (Ffmpeg.Run publisher = Ffmpeg.startFfmpeg("-i", in, "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY),
                "-c", "copy", "-f", "flv", server.rtmpUrl("live", "strict-key-0123456789"),
                "-c", "copy", "-f", "flv", server.rtmpUrl("live", "fussy-key-0123456789"))) {
            assertEquals(0, publisher.await(60), publisher.output());
        }
        for (String room : List.of("demo", "strict", "fussy")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> server.server().hls().room(room)
                    .flatMap(r -> r.playlists()).map(p -> p.media().contains("#EXT-X-ENDLIST")).orElse(false));
        }
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body());
    }

    /**
     * The room's snapshot once {@code accounted} holds: a segment's delivery is judged when the server's write
     * completes, on its event loop, which may be after the client has read the whole response.
     */
    private static BandwidthSnapshot once(String room, Predicate<BandwidthSnapshot> accounted) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> server.server().bandwidth().snapshot(room).orElse(null),
                s -> s != null && accounted.test(s));
    }

    private static String probeToken(String room) throws Exception {
        HttpResponse<String> probe = Http.get(server.httpUrl("/bwcheck/" + room));
        assertEquals(200, probe.statusCode());
        String result = Http.get(server.httpUrl(probe.headers().firstValue("x-bandwidth-result").orElseThrow())).body();
        assertEquals("ok", JsonFields.string(result, "verdict"), result);
        long sent = Long.parseLong(probe.headers().firstValue("content-length").orElseThrow());
        assertTrue(result.contains("\"bytes\":" + sent + ","), "the verdict names every byte sent: " + result);
        return JsonFields.string(result, "token");
    }

    @Test
    void underEnforcePlaylistsNeedAPassingTokenAndCarryAPlaybackTokenIntoEveryUri() throws Exception {
        HlsTestClient hls = new HlsTestClient(server.httpUrl("/hls/strict/"));
        HttpResponse<byte[]> refused = hls.get("stream.m3u8");
        assertEquals(403, refused.statusCode());
        assertTrue(text(refused).contains("\"required_mbps\":3.000") && text(refused).contains("\"probe\":\"/bwcheck/strict\""),
                text(refused));

        String token = probeToken("strict");
        HttpResponse<byte[]> media = hls.get("stream.m3u8?bwtoken=" + token);
        assertEquals(200, media.statusCode(), text(media));
        assertEquals("private, max-age=1", media.headers().firstValue("cache-control").orElse(null));
        List<HlsTestClient.Entry> entries = HlsTestClient.entries(text(media));
        assertTrue(entries.size() >= 2, text(media));
        ProbeTokens tokens = server.server().bandwidth().tokens();
        for (HlsTestClient.Entry entry : entries) {
            String uri = entry.uri();
            assertTrue(uri.matches("[^?]+\\.ts\\?bwtoken=[A-Za-z0-9_.-]+"), uri);
            ProbeTokens.Claims claims = tokens.verify(uri.substring(uri.indexOf('=') + 1), "strict").orElseThrow();
            assertTrue(claims.expiresEpochSeconds() > Instant.now().plus(Duration.ofHours(5)).getEpochSecond(),
                    "a playback token outlives the probe token: " + claims);
        }
        String master = text(hls.get("index.m3u8?bwtoken=" + token));
        assertTrue(master.lines().anyMatch(l -> l.startsWith("stream.m3u8?bwtoken=")), master);

        String segment = entries.get(0).uri();
        HttpResponse<byte[]> served = hls.get(segment);
        assertEquals(200, served.statusCode(), text(served));
        assertTrue(served.body().length > 64 * 1024, "a segment large enough to be timed: " + served.body().length);
        assertEquals(403, hls.get(segment.substring(0, segment.indexOf('?'))).statusCode(), "media needs the token too");

        HttpResponse<byte[]> slow = hls.get("stream.m3u8?bwtoken=" + tokens.issue("strict", 1_000_000, MeasurementMethod.TCP_ACKS));
        assertEquals(403, slow.statusCode());
        assertTrue(text(slow).contains("\"measured_mbps\":1.000") && text(slow).contains("too slow"), text(slow));
        assertEquals(403, hls.get("stream.m3u8?bwtoken=" + tokens.issue("demo", 50_000_000, MeasurementMethod.TCP_ACKS))
                .statusCode(), "a token of another room");
        assertTrue(server.server().bandwidth().snapshot("strict").orElseThrow().refusedTotal() >= 4);
    }

    @Test
    void segmentDeliveriesJudgeEachClientAndAFlaggedClientIsRefusedUnderEnforce() throws Exception {
        HlsTestClient demo = new HlsTestClient(server.httpUrl("/hls/demo/"));
        String first = HlsTestClient.entries(demo.playlist("stream.m3u8")).get(0).uri();
        assertEquals(200, demo.get(first, UA, "fast-player").statusCode());
        BandwidthSnapshot warn = once("demo", s -> s.viewersOk() + s.viewersBelow() > 0);
        assertEquals(1, warn.viewersOk() + warn.viewersMeasuring() + warn.viewersBelow(), warn.toString());
        assertEquals(1, warn.viewersOk(), "loopback meets 3 Mbit/s: " + warn);

        // 100 Gbit/s is more than loopback delivers: the first timed segment flags the client (flag-after = 1 window).
        HlsTestClient fussy = new HlsTestClient(server.httpUrl("/hls/fussy/"));
        String token = server.server().bandwidth().tokens().issue("fussy", 200_000_000_000L, MeasurementMethod.TCP_ACKS);
        String playlist = text(fussy.get("stream.m3u8?bwtoken=" + token, UA, "slow-player"));
        String segment = HlsTestClient.entries(playlist).get(0).uri();
        assertEquals(200, fussy.get(segment, UA, "slow-player").statusCode());
        BandwidthSnapshot enforced = once("fussy", s -> s.viewersBelow() > 0 && s.disconnectedTotal() > 0);
        assertEquals(1, enforced.viewersBelow(), enforced.toString());
        assertEquals(1, enforced.disconnectedTotal());
        assertEquals("127.0.0.1 slow-player", enforced.flagged().get(0).viewer());
        assertEquals(MeasurementMethod.SEGMENT_DELIVERY, enforced.flagged().get(0).measurement().method());
        System.out.printf(Locale.ROOT, "hls segment on loopback: %s%n", enforced.flagged().get(0).figures());

        HttpResponse<byte[]> refused = fussy.get(segment, UA, "slow-player");
        assertEquals(403, refused.statusCode());
        assertTrue(text(refused).contains("too slow") && text(refused).contains("\"required_mbps\":100000.000"), text(refused));
        assertEquals(403, fussy.get("stream.m3u8?bwtoken=" + token, UA, "slow-player").statusCode());
        assertEquals(200, fussy.get("stream.m3u8?bwtoken=" + token, UA, "other-player").statusCode(), "other clients play on");
        assertNotNull(server.server().bandwidth().snapshot("fussy").orElseThrow().recent().stream()
                .filter(v -> v.viewer().equals("127.0.0.1 slow-player")).findFirst().orElse(null));
    }
}
