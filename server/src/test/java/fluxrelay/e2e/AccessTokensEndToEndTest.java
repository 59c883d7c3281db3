package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fluxrelay.access.AccessTokens;
import fluxrelay.stream.LiveStream;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.Http;
import fluxrelay.testing.JsonFields;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Viewer access tokens against the real server and real players: rtmpdump and ffmpeg over RTMP, ffmpeg over
 * HTTP-FLV and HLS, with valid, expired, forged, other-room and revoked tokens; an HLS viewer plays on with its
 * token across playlist reloads until the token expires; revoking an attendee disconnects its players.
 */
class AccessTokensEndToEndTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0001";
    private static final String KEY = "webinar-key-0123456789";
    private static final Pattern FFMPEG_TIME = Pattern.compile("out_time_us=(\\d+)");
    private static final AccessTokens TOKENS = new AccessTokens(List.of(SECRET));
    /** How every token starts: the base64url of its payload's first line. */
    private static final String TOKEN_START = "Zmx1eHJlbGF5LWFjY2Vzcy0x";
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static final Logger SERVER_LOGGER = (Logger) LoggerFactory.getLogger("fluxrelay");
    private static Level serverLevel;
    private static TestServer server;
    private static Ffmpeg.Run publisher;

    @TempDir
    Path dir;

    @BeforeAll
    static void publish() throws Exception {
        serverLevel = SERVER_LOGGER.getLevel();
        SERVER_LOGGER.setLevel(Level.DEBUG);
        LOG.start();
        SERVER_LOGGER.addAppender(LOG);
        server = TestServer.start("relay.access.secrets = [\"" + SECRET + "\"]\n"
                + "relay.rooms = [ { id = webinar, stream-name = \"" + KEY + "\", viewer-access = token },\n"
                + "  { id = other, stream-name = \"other-key-0123456789\", viewer-access = token } ]");
        publisher = Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-stream_loop", "-1", "-i",
                SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv", server.rtmpUrl("live", KEY));
        await().atMost(Duration.ofSeconds(30)).failFast(() -> !publisher.alive())
                .until(() -> server.server().hls().room("webinar").flatMap(r -> r.playlists())
                        .map(p -> HlsTestClient.entries(p.media()).size() >= 2).orElse(false));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (publisher != null) {
            publisher.close();
        }
        if (server != null) {
            server.close();
        }
        SERVER_LOGGER.detachAppender(LOG);
        SERVER_LOGGER.setLevel(serverLevel);
        // Tokens are credentials: no log line of any level shows one, refused or admitted.
        assertTrue(LOG.list.size() > 50, "the server logged: " + LOG.list.size());
        for (ILoggingEvent event : LOG.list) {
            assertTrue(!event.getFormattedMessage().contains(TOKEN_START), event.getFormattedMessage());
        }
    }

    private static String token(String room, Duration ttl, String attendee) {
        return TOKENS.sign(room, Instant.now().plus(ttl), attendee, null);
    }

    /** Every way a token can be wrong for the webinar room, by the reason the server gives. */
    private static Map<String, String> badTokens(String revokedAttendee) {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("expired", token("webinar", Duration.ofSeconds(-5), "A-1"));
        bad.put("bad_signature", new AccessTokens(List.of("somebody-elses-secret-0123456789abcdef"))
                .sign("webinar", Instant.now().plusSeconds(3600), "A-1", null));
        bad.put("other_room", token("other", Duration.ofHours(1), "A-1"));
        bad.put("wrong_address", TOKENS.sign("webinar", Instant.now().plusSeconds(3600), "A-1", "203.0.113.7"));
        bad.put("revoked", token("webinar", Duration.ofHours(1), revokedAttendee));
        return bad;
    }

    private static void revoke(String attendee) throws Exception {
        HttpResponse<String> revoked = Http.send("POST", server.httpUrl("/api/access/revocations"),
                "{\"attendee\":\"" + attendee + "\"}", null);
        assertEquals(200, revoked.statusCode(), revoked.body());
    }

    private static double ffmpegSeconds(Ffmpeg.Run player) {
        Matcher m = FFMPEG_TIME.matcher(player.output());
        double last = 0;
        while (m.find()) {
            last = Double.parseDouble(m.group(1)) / 1e6;
        }
        return last;
    }

    private static LiveStream hub() {
        return server.server().streams().stream("webinar", true);
    }

    private static long viewersAs(String attendee) {
        return hub().viewers().stream().filter(v -> attendee.equals(v.attendee())).count();
    }

    private Ffmpeg.Run rtmpdump(String query, Path out) throws Exception {
        return Ffmpeg.startProcess(List.of(Requirements.tool("rtmpdump", "apt-get install rtmpdump").toString(), "-v",
                "-r", "rtmp://127.0.0.1:" + server.rtmpPort() + "/live", "-y", "webinar" + query, "-o", out.toString(), "-m", "20"));
    }

    private static Ffmpeg.Run ffmpegPlay(String url, String... limit) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-loglevel", "info", "-progress", "pipe:1", "-stats_period", "0.25",
                "-i", url));
        args.addAll(List.of(limit));
        args.addAll(List.of("-c", "copy", "-f", "null", "-"));
        return Ffmpeg.startFfmpeg(args.toArray(String[]::new));
    }

    @Test
    void rtmpPlayersPlayWithAValidTokenAndAreToldWhyOtherwise() throws Exception {
        revoke("A-revoked-rtmp");
        Path good = dir.resolve("good.flv");
        try (Ffmpeg.Run dump = rtmpdump("?access=" + token("webinar", Duration.ofHours(1), "A-2"), good);
             Ffmpeg.Run ffmpeg = ffmpegPlay(server.rtmpUrl("live", "webinar?access=" + token("webinar", Duration.ofHours(1), "A-3")),
                     "-t", "2")) {
            assertEquals(0, ffmpeg.await(30), ffmpeg.output());
            assertTrue(ffmpegSeconds(ffmpeg) >= 1.5, ffmpeg.output());
            await().atMost(Duration.ofSeconds(20)).failFast(() -> !dump.alive())
                    .until(() -> Files.exists(good) && Files.size(good) > 100_000);
        }
        for (String query : List.of("", "?access=")) {
            try (Ffmpeg.Run dump = rtmpdump(query, dir.resolve("none.flv"))) {
                assertNotEquals(0, dump.await(20), dump.output());
                assertTrue(dump.output().contains("NetStream.Play.Failed"), dump.output());
            }
        }
        for (Map.Entry<String, String> bad : badTokens("A-revoked-rtmp").entrySet()) {
            try (Ffmpeg.Run dump = rtmpdump("?access=" + bad.getValue(), dir.resolve(bad.getKey() + ".flv"));
                 Ffmpeg.Run ffmpeg = ffmpegPlay(server.rtmpUrl("live", "webinar?access=" + bad.getValue()), "-t", "2")) {
                assertNotEquals(0, dump.await(20), bad.getKey() + ": " + dump.output());
                assertTrue(dump.output().contains("NetStream.Play.Failed"), bad.getKey() + ": " + dump.output());
                assertNotEquals(0, ffmpeg.await(20), bad.getKey() + ": " + ffmpeg.output());
                assertTrue(ffmpeg.output().contains("Access refused (" + bad.getKey() + ")"), bad.getKey() + ": " + ffmpeg.output());
            }
        }
    }

    @Test
    void httpFlvNeedsAValidTokenAndAnswersWhatIsWrong() throws Exception {
        revoke("A-revoked-flv");
        try (Ffmpeg.Run ffmpeg = ffmpegPlay(server.httpUrl("/live/webinar.flv?access=" + token("webinar", Duration.ofHours(1), "A-4")),
                "-t", "2")) {
            assertEquals(0, ffmpeg.await(30), ffmpeg.output());
            assertTrue(ffmpegSeconds(ffmpeg) >= 1.5, ffmpeg.output());
        }
        HttpResponse<String> none = Http.get(server.httpUrl("/live/webinar.flv"));
        assertEquals(401, none.statusCode());
        assertEquals("missing", JsonFields.string(none.body(), "reason"));
        assertTrue(JsonFields.string(none.body(), "error").contains("?access="), none.body());
        for (Map.Entry<String, String> bad : badTokens("A-revoked-flv").entrySet()) {
            HttpResponse<String> refused = Http.get(server.httpUrl("/live/webinar.flv?access=" + bad.getValue()));
            assertEquals(403, refused.statusCode(), bad.getKey());
            assertEquals(bad.getKey(), JsonFields.string(refused.body(), "reason"), refused.body());
            try (Ffmpeg.Run ffmpeg = ffmpegPlay(server.httpUrl("/live/webinar.flv?access=" + bad.getValue()), "-t", "2")) {
                assertNotEquals(0, ffmpeg.await(20), bad.getKey() + ": " + ffmpeg.output());
                assertTrue(ffmpeg.output().contains("403"), bad.getKey() + ": " + ffmpeg.output());
            }
        }
        String metrics = Http.get(server.httpUrl("/metrics")).body();
        Matcher expired = Pattern.compile("fluxrelay_access_refusals_total\\{reason=\"expired\"} ([0-9.]+)").matcher(metrics);
        assertTrue(expired.find() && Double.parseDouble(expired.group(1)) >= 2, metrics);
    }

    @Test
    void hlsPlaylistsCarryTheTokenIntoEveryUriAndRefuseWithoutIt() throws Exception {
        String token = token("webinar", Duration.ofHours(1), "A-5");
        HlsTestClient hls = new HlsTestClient(server.httpUrl("/hls/webinar/"));
        HttpResponse<byte[]> none = hls.get("index.m3u8");
        assertEquals(401, none.statusCode());
        assertEquals("*", none.headers().firstValue("access-control-allow-origin").orElse(null), "browser players read why");
        String master = hls.playlist("index.m3u8?access=" + token);
        assertTrue(master.lines().anyMatch(l -> l.equals("stream.m3u8?access=" + token)), master);
        HttpResponse<byte[]> media = hls.get("stream.m3u8?access=" + token);
        assertTrue(media.headers().firstValue("cache-control").orElse("").startsWith("private"), "a viewer's own playlist");
        List<HlsTestClient.Entry> entries = HlsTestClient.entries(new String(media.body()));
        assertTrue(!entries.isEmpty());
        for (HlsTestClient.Entry entry : entries) {
            assertTrue(entry.uri().endsWith(".ts?access=" + token), entry.uri());
        }
        String segment = entries.get(0).uri();
        assertEquals(200, hls.get(segment).statusCode());
        assertEquals(401, hls.get(segment.substring(0, segment.indexOf('?'))).statusCode(), "media needs the token too");
        String lowLatency = hls.playlist("ll.m3u8?access=" + token);
        for (String line : lowLatency.split("\n")) {
            Matcher uri = Pattern.compile("URI=\"([^\"]*)\"").matcher(line);
            while (uri.find()) {
                assertTrue(uri.group(1).endsWith("access=" + token), line);
            }
            if (!line.isEmpty() && !line.startsWith("#")) {
                assertTrue(line.endsWith("access=" + token), line);
            }
        }
        for (Map.Entry<String, String> bad : badTokens("A-revoked-hls").entrySet()) {
            if (bad.getKey().equals("revoked")) {
                revoke("A-revoked-hls");
            }
            HttpResponse<byte[]> refused = hls.get("stream.m3u8?access=" + bad.getValue());
            assertEquals(403, refused.statusCode(), bad.getKey());
            assertEquals(bad.getKey(), JsonFields.string(new String(refused.body()), "reason"));
        }
    }

    /**
     * ffmpeg reads HLS with a token that expires a few seconds in: it plays on past what its first playlist listed
     * (every reload and segment admitted on the same token), and is refused once the token expires.
     */
    @Test
    void anHlsViewerPlaysOnWithItsTokenUntilItExpires() throws Exception {
        String token = token("webinar", Duration.ofSeconds(8), "A-6");
        HlsTestClient hls = new HlsTestClient(server.httpUrl("/hls/webinar/"));
        double listed = HlsTestClient.entries(hls.playlist("stream.m3u8?access=" + token)).stream()
                .mapToDouble(HlsTestClient.Entry::duration).sum();
        try (Ffmpeg.Run ffmpeg = ffmpegPlay(server.httpUrl("/hls/webinar/index.m3u8?access=" + token))) {
            int exit = ffmpeg.await(60);
            assertNotEquals(-1, exit, "ffmpeg stops once its token has expired: " + ffmpeg.output());
            assertTrue(ffmpegSeconds(ffmpeg) > listed + 2, "played " + ffmpegSeconds(ffmpeg) + " s, the first playlist listed "
                    + listed + " s: " + ffmpeg.output());
            assertTrue(ffmpeg.output().contains("403"), ffmpeg.output());
            System.out.printf(java.util.Locale.ROOT, "hls with an 8 s token: played %.1f s, the first playlist listed %.1f s%n",
                    ffmpegSeconds(ffmpeg), listed);
        }
        HttpResponse<byte[]> after = hls.get("stream.m3u8?access=" + token);
        assertEquals(403, after.statusCode());
        assertEquals("expired", JsonFields.string(new String(after.body()), "reason"));
    }

    @Test
    void revokingAnAttendeeDisconnectsItsRtmpAndHttpFlvPlayers() throws Exception {
        String token = token("webinar", Duration.ofHours(1), "A-7");
        try (Ffmpeg.Run dump = rtmpdump("?access=" + token, dir.resolve("revoked.flv"));
             Ffmpeg.Run flv = ffmpegPlay(server.httpUrl("/live/webinar.flv?access=" + token));
             Ffmpeg.Run other = ffmpegPlay(server.httpUrl("/live/webinar.flv?access=" + token("webinar", Duration.ofHours(1), "A-8")))) {
            await().atMost(Duration.ofSeconds(20)).failFast(() -> !dump.alive() || !flv.alive() || !other.alive())
                    .until(() -> viewersAs("A-7") == 2 && viewersAs("A-8") == 1 && ffmpegSeconds(flv) > 1);
            revoke("A-7");
            await().atMost(Duration.ofSeconds(20)).until(() -> !dump.alive() && !flv.alive());
            assertEquals(0, viewersAs("A-7"));
            assertTrue(other.alive(), "another attendee plays on");
            assertEquals(1, viewersAs("A-8"));
        }
        HttpResponse<String> again = Http.get(server.httpUrl("/live/webinar.flv?access=" + token));
        assertEquals(403, again.statusCode());
        assertEquals("revoked", JsonFields.string(again.body(), "reason"));
        String listed = Http.get(server.httpUrl("/api/access/revocations")).body();
        assertTrue(listed.contains("\"attendee\":\"A-7\""), listed);
        assertEquals(200, Http.send("DELETE", server.httpUrl("/api/access/revocations/A-7"), null, null).statusCode());
        assertEquals(404, Http.send("DELETE", server.httpUrl("/api/access/revocations/A-7"), null, null).statusCode());
    }

    @Test
    void openRoomsPlayWithoutToken() throws Exception {
        assertEquals(404, Http.get(server.httpUrl("/hls/demo/index.m3u8")).statusCode(), "open: the demo room is just not live");
        assertEquals("open", JsonFields.string(Http.get(server.httpUrl("/api/rooms/demo")).body(), "viewerAccess"));
        assertEquals("token", JsonFields.string(Http.get(server.httpUrl("/api/rooms/webinar")).body(), "viewerAccess"));
    }
}
