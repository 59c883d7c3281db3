package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.rtmp.amf.AmfObject;
import fluxrelay.stream.FeedId;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.JsonFields;
import fluxrelay.testing.LadderPublisher;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.ShapedLink;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The bandwidth check as a choice, on real shaped links: an {@code enforce} room requiring 3.5 Mbit/s whose encoder
 * sends a 3 Mbit/s 640x360 program and a 0.7 Mbit/s 320x180 rendition ({@code 180p}). An HTTP-FLV viewer probed on a
 * 2 Mbit/s link is given the rendition (ffprobe reads 320x180 from the stream), counted as moved down; one on a
 * 0.5 Mbit/s link is refused with its figure and the rendition's need. The multivariant playlist answered to a token
 * lists what its figure carries, and RTMP and HTTP-FLV viewers given the rendition are told which and why (Play.Start
 * fields, response headers); a rendition asked for is judged against its own need; under {@code warn} a figure
 * below every rendition plays the lowest.
 */
class AdaptiveBitrateLinksTest {

    private static final String MAIN_KEY = "abr-main-0123456789";
    private static final String LOW_KEY = "abr-low-0123456789";

    @Test
    void aTwoMegabitViewerPlaysTheRenditionAndAHalfMegabitViewerIsRefusedWithTheFigures() throws Exception {
        String unavailable = ShapedLink.unavailableReason();
        if (unavailable == null && Requirements.executable("curl").isEmpty()) {
            unavailable = "curl is not installed (apt-get install curl)";
        }
        Requirements.require(unavailable == null, "shaped links: " + unavailable);
        try (TestServer server = TestServer.start("relay.rtmp.host = \"0.0.0.0\"\nrelay.http.host = \"0.0.0.0\"\n"
                + "relay.bandwidth { probe-timeout = 30s, monitor.flag-after = 2s }\n"
                + "relay.rooms = [ { id = abr, app = live, stream-name = " + MAIN_KEY + ", required-mbps = 3.5, "
                + "bandwidth-policy = enforce, renditions = [ { id = 180p, stream-name = " + LOW_KEY + " } ] } ]\n");
             Ffmpeg.Run publisher = LadderPublisher.start(server.rtmpPort(), "live", MAIN_KEY, 3000, LOW_KEY, 700);
             ShapedLink two = ShapedLink.create(0, 2);
             ShapedLink half = ShapedLink.create(1, 0.5)) {
            bothLive(server, publisher);

            String token = JsonFields.string(probe(server, two), "token");
            String url = "http://" + two.hostAddress() + ":" + server.httpPort() + "/live/abr.flv?bwtoken=" + token;
            String streams = two.exec(60, Ffmpeg.ffprobe(), "-v", "error", "-show_entries", "stream=codec_name,width,height",
                    "-of", "csv=p=0", url);
            System.out.printf(Locale.ROOT, "http-flv on %s: %s%n", two, streams.trim());
            assertTrue(streams.contains("h264,320,180"), streams);
            assertFalse(streams.contains("640,360"), streams);
            // Playing on over the 2 Mbit/s link for 8 s (four flag-after periods): the enforce room neither flags nor
            // disconnects the moved-down viewer. (That it is judged against the rendition's need rather than the room's
            // 3.5 Mbit/s is checked in HttpFlvRenditionTest: this link has room to spare, so it is rarely backlogged.)
            String played = two.exec(30, "curl", "-s", "-m", "8", "-o", "/dev/null", "-w", "bytes=%{size_download}\n", url);
            System.out.printf(Locale.ROOT, "http-flv on %s for 8 s: %s%n", two, played.trim());
            long bytes = Long.parseLong(played.replaceAll("(?s).*bytes=([0-9]+).*", "$1"));
            assertTrue(bytes > 400_000, "played on to the end: " + played);
            String room = Http.get(server.httpUrl("/api/rooms/abr")).body();
            assertTrue(room.matches("(?s).*\"movedDown\":[1-9].*"), room);
            assertTrue(room.matches("(?s).*\"flagged\":0[,}].*") && room.matches("(?s).*\"disconnected\":0[,}].*"), room);
            String metrics = Http.get(server.httpUrl("/metrics")).body();
            assertTrue(metrics.matches("(?s).*fluxrelay_viewers_moved_down_total\\{room=\"abr\"} [1-9].*"), metrics);

            String slowProbe = probe(server, half);
            String answer = half.exec(20, "curl", "-s", "-m", "2", "-o", "-", "-w", "\nstatus=%{http_code}\n",
                    "http://" + half.hostAddress() + ":" + server.httpPort() + "/live/abr.flv?bwtoken="
                            + JsonFields.string(slowProbe, "token"));
            System.out.printf(Locale.ROOT, "http-flv on %s: %s (probe %s)%n", half, answer.trim(), slowProbe);
            assertTrue(answer.contains("status=403"), answer);
            double measured = JsonFields.number(answer, "measured_mbps");
            double required = JsonFields.number(answer, "required_mbps");
            assertTrue(measured > 0.3 && measured < 0.7, answer);
            // The figure refused against is the rendition's need (0.7 Mbit/s + audio, with headroom), not the room's 3.5.
            assertTrue(required > 0.7 && required < 1.6, answer);
            assertTrue(answer.matches("(?s).*too slow for this stream: measured 0\\.[3-7] Mbit/s, required 0?[0-9]\\.[0-9] Mbit/s.*"),
                    answer);
        }
    }

    @Test
    void tokensChooseWhatTheMultivariantPlaylistListsAndWhatPlays() throws Exception {
        try (TestServer server = TestServer.start("relay.hls { target-duration = 1s, playlist-max-age = 0s }\n"
                + "relay.rooms = [ { id = abr, app = live, stream-name = " + MAIN_KEY + ", required-mbps = 3.5, "
                + "bandwidth-policy = enforce, renditions = [ { id = 180p, stream-name = " + LOW_KEY + " } ] } ]\n");
             Ffmpeg.Run publisher = LadderPublisher.start(server.rtmpPort(), "live", MAIN_KEY, 3000, LOW_KEY, 700)) {
            bothLive(server, publisher);
            var tokens = server.server().bandwidth().tokens();
            String fast = tokens.issue("abr", 5_000_000, MeasurementMethod.TCP_ACKS);
            String slow = tokens.issue("abr", 2_000_000, MeasurementMethod.TCP_ACKS);
            String tooSlow = tokens.issue("abr", 400_000, MeasurementMethod.TCP_ACKS);
            // A figure that carries the program: both variants, program first.
            String all = await().atMost(Duration.ofSeconds(30)).failFast(() -> !publisher.alive())
                    .until(() -> Http.get(server.httpUrl("/hls/abr/index.m3u8?bwtoken=" + fast)).body(),
                            text -> text.contains("r/180p/stream.m3u8") && text.contains("\nstream.m3u8?"));
            assertTrue(all.indexOf("\nstream.m3u8?") < all.indexOf("r/180p/stream.m3u8"), all);
            // 2 Mbit/s: the rendition alone, its URI carrying the viewer's playback token.
            String moved = Http.get(server.httpUrl("/hls/abr/index.m3u8?bwtoken=" + slow)).body();
            assertEquals(1, moved.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).count(), moved);
            assertTrue(moved.contains("RESOLUTION=320x180") && moved.contains("\nr/180p/stream.m3u8?bwtoken="), moved);
            // The LL-HLS multivariant playlist chooses the same way, pointing at the ll.m3u8 playlists.
            String llAll = await().atMost(Duration.ofSeconds(30)).failFast(() -> !publisher.alive())
                    .until(() -> Http.get(server.httpUrl("/hls/abr/ll-index.m3u8?bwtoken=" + fast)).body(),
                            text -> text.contains("r/180p/ll.m3u8") && text.contains("\nll.m3u8?"));
            assertTrue(llAll.indexOf("\nll.m3u8?") < llAll.indexOf("r/180p/ll.m3u8"), llAll);
            String llMoved = Http.get(server.httpUrl("/hls/abr/ll-index.m3u8?bwtoken=" + slow)).body();
            assertEquals(1, llMoved.lines().filter(l -> l.startsWith("#EXT-X-STREAM-INF:")).count(), llMoved);
            assertTrue(llMoved.contains("RESOLUTION=320x180") && llMoved.contains("\nr/180p/ll.m3u8?bwtoken="), llMoved);
            assertEquals(403, Http.get(server.httpUrl("/hls/abr/ll.m3u8?bwtoken=" + slow)).statusCode());
            assertEquals(403, Http.get(server.httpUrl("/hls/abr/ll-index.m3u8?bwtoken=" + tooSlow)).statusCode());
            String movedDown = Http.get(server.httpUrl("/api/rooms/abr")).body();
            assertTrue(movedDown.matches("(?s).*\"movedDown\":[1-9].*"), movedDown);
            // The rendition's ingest has series of its own; the room's ingest series stay its input's.
            String metrics = await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(server.httpUrl("/metrics")).body(),
                    text -> text.contains("fluxrelay_rendition_ingest_bytes_per_second{kind=\"video\",rendition=\"180p\",room=\"abr\"}"));
            assertTrue(metrics.matches("(?s).*fluxrelay_rendition_ingest_bytes_total\\{kind=\"video\",rendition=\"180p\",room=\"abr\"} "
                    + "[1-9][0-9]{4,}.*"), metrics);
            assertTrue(metrics.matches("(?s).*fluxrelay_ingest_bytes_total\\{kind=\"video\",room=\"abr\"} [1-9][0-9]{4,}.*"), metrics);
            if (Requirements.executable("promtool").isPresent()) {
                MetricsEndToEndTest.promtoolCheck(metrics); // the new names pass the exposition checker too
            }
            // An RTMP viewer of the program on that figure plays the rendition and is told so in its Play.Start; an
            // HTTP-FLV one in its response headers.
            try (RtmpTestClient rtmp = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
                rtmp.play("abr?bwtoken=" + slow);
                AmfObject start = (AmfObject) rtmp.awaitStatus("NetStream.Play.Start", Duration.ofSeconds(10)).argument(0);
                assertEquals("Playing rendition 180p: measured 2.0 Mbit/s, the program needs 3.5 Mbit/s.",
                        start.getString("description"), start.toString());
                assertEquals("180p", start.getString("rendition"));
                assertEquals(2.0, start.getNumber("measuredMbps"));
                assertEquals(3.5, start.getNumber("requiredMbps"));
            }
            try (HttpFlvTestClient flv = new HttpFlvTestClient(server.httpUrl("/live/abr.flv?bwtoken=" + slow))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> flv.status() != 0);
                assertEquals(200, flv.status());
                assertEquals("180p", flv.header("X-Rendition"));
                assertEquals("2.000", flv.header("X-Bandwidth-Measured-Mbps"));
                assertEquals("3.500", flv.header("X-Bandwidth-Required-Mbps"));
            }
            // The rendition plays on that figure; the program's own media does not.
            assertEquals(200, Http.get(server.httpUrl("/hls/abr/r/180p/stream.m3u8?bwtoken=" + slow)).statusCode());
            var program = Http.get(server.httpUrl("/hls/abr/stream.m3u8?bwtoken=" + slow));
            assertEquals(403, program.statusCode(), program.body());
            // Below the rendition's need: refused with the figures, as before.
            var refused = Http.get(server.httpUrl("/hls/abr/index.m3u8?bwtoken=" + tooSlow));
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("measured 0.4 Mbit/s, required"), refused.body());
            assertFalse(refused.body().contains("required 3.5"), refused.body());
            // Asking for the rendition is judged against its own need.
            var asked = Http.get(server.httpUrl("/hls/abr/r/180p/stream.m3u8?bwtoken=" + tooSlow));
            assertEquals(403, asked.statusCode(), asked.body());
            assertTrue(asked.body().contains("measured 0.4 Mbit/s, required"), asked.body());

            // Under warn, a figure below the lowest rendition plays the lowest one (HTTP-FLV, the room's own URL).
            server.server().bandwidth().configure("abr", BandwidthRequirement.ofMbps(3.5, BandwidthPolicy.WARN));
            try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                    "-of", "csv=p=0", server.httpUrl("/live/abr.flv?bwtoken=" + tooSlow))) {
                assertEquals(0, probe.await(30), probe.output());
                assertTrue(probe.output().contains("h264,320,180"), probe.output());
            }
        }
    }

    /** Waits for both qualities to be live and the rendition's ingest rate measured (its need is known from then on). */
    static void bothLive(TestServer server, Ffmpeg.Run publisher) {
        await().atMost(Duration.ofSeconds(30)).failFast(() -> !publisher.alive()).until(() ->
                server.server().streams().find(FeedId.rendition("abr", "180p"))
                        .map(hub -> hub.snapshot().ingest() != null && hub.snapshot().ingest().videoKbps() > 300).orElse(false)
                        && server.server().streams().find(FeedId.program("abr")).map(hub -> hub.snapshot().publishing()).orElse(false));
    }

    /** Runs the HTTP probe of room abr from inside {@code link}; returns its result JSON. */
    private static String probe(TestServer server, ShapedLink link) throws Exception {
        String base = "http://" + link.hostAddress() + ":" + server.httpPort();
        String headers = link.exec(60, "curl", "-sS", "-D", "-", "-o", "/dev/null", base + "/bwcheck/abr");
        String resultPath = headers.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("x-bandwidth-result:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        assertNotNull(resultPath, headers);
        String result = link.exec(30, "curl", "-sS", base + resultPath);
        assertEquals("below", JsonFields.string(result, "verdict"), result);
        return result;
    }
}
