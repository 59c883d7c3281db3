package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.access.AccessTokens;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live DVR window against the real server and real clients: ffmpeg publishes the sample clip in a loop to a
 * recording room with an 8 s window, for longer than twice the window. The DVR playlist lists about the window, ffmpeg
 * decodes it from its first segment without an error, it slides, segments that left it long ago are gone from the
 * index, viewer access tokens apply as for live HLS, and at the session's end it gets its ENDLIST, then goes with the
 * fragment file one window later.
 */
class DvrEndToEndTest {

    private static final String SECRET = "a-dvr-secret-of-at-least-thirty-two-chars";
    private static final String KEY = "dvr-room-key-0123456789";
    private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+),");

    @Test
    void aLiveViewerSeesTheLastWindowOfTheSessionReadFromDisk(@TempDir Path dir) throws Exception {
        Path recordings = dir.resolve("rec");
        String token = new AccessTokens(List.of(SECRET)).sign("talk", Instant.now().plusSeconds(3600), "A-1", null);
        try (TestServer server = TestServer.start("relay.recording { directory = \"" + recordings + "\", grace = 1s, "
                + "min-free = 0 }\nrelay.access.secrets = [\"" + SECRET + "\"]\n"
                + "relay.rooms = [ { id = talk, stream-name = \"" + KEY + "\", record = true, dvr-window = 8s, "
                + "viewer-access = token } ]\n")) {
            String playlistUrl = server.httpUrl("/hls/talk/dvr.m3u8?access=" + token);
            try (Ffmpeg.Run encoder = Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-stream_loop", "-1", "-i",
                    SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv",
                    server.rtmpUrl("live", KEY))) {
                // Grown to the window, then sliding: the oldest segments leave and the media sequence moves on.
                String grown = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> body(playlistUrl), text -> sequence(text) > 0);
                assertTrue(grown.contains("#EXT-X-MAP:URI=\"dvr-talk-"), grown);
                assertTrue(grown.contains(".mp4?access=" + token + "\""), "tokens carried into the URIs: " + grown);
                assertFalse(grown.contains("#EXT-X-PLAYLIST-TYPE"), grown);
                assertFalse(grown.contains("#EXT-X-ENDLIST"), grown);
                double listed = seconds(grown);
                assertTrue(listed >= 8 && listed <= 8 + 2.5, listed + " s listed: " + grown);

                assertEquals(401, Http.get(server.httpUrl("/hls/talk/dvr.m3u8")).statusCode(), "no token, no DVR");
                String firstSegment = firstSegment(grown);
                assertEquals(401, Http.get(server.httpUrl("/hls/talk/" + firstSegment.replaceAll("\\?.*", ""))).statusCode());
                assertEquals(404, Http.get(server.httpUrl("/hls/talk/main/dvr.m3u8?access=" + token)).statusCode(),
                        "an input's URLs have no DVR window");

                // A player joining now decodes the whole window, from its first segment on, without an error.
                try (Ffmpeg.Run player = Ffmpeg.startFfmpeg("-v", "error", "-live_start_index", "0", "-i", playlistUrl,
                        "-t", "7", "-f", "null", "-")) {
                    assertEquals(0, player.await(60), player.output());
                    assertEquals("", player.output().trim());
                }
                HttpResponse<byte[]> ranged = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(server.httpUrl("/hls/talk/" + firstSegment))).header("Range", "bytes=0-7").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(206, ranged.statusCode());
                assertEquals("moof", new String(ranged.body(), 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1));

                long before = sequence(grown);
                String slid = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> body(playlistUrl), text -> sequence(text) >= before + 12);
                assertTrue(seconds(slid) <= 8 + 2.5, "still about the window: " + slid);
                // What left the playlist more than a window ago is no longer indexed: nothing of the session is held.
                assertEquals(404, Http.get(server.httpUrl("/hls/talk/" + firstSegment)).statusCode(), firstSegment);
                assertEquals(200, Http.get(server.httpUrl("/hls/talk/" + firstSegment(slid))).statusCode());
            }
            // The publisher gone for the grace period: the session ends, the playlist is complete...
            String ended = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> body(playlistUrl), text -> text.endsWith("#EXT-X-ENDLIST\n"));
            HttpResponse<String> segment = Http.get(server.httpUrl("/hls/talk/" + firstSegment(ended)));
            assertEquals(200, segment.statusCode(), "the ended window is still served");
            // ...and one window after the end it goes, with the fragment file, leaving the finalized recording.
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(playlistUrl).statusCode() == 404);
            try (var files = Files.list(recordings)) {
                List<String> names = files.map(p -> p.getFileName().toString()).toList();
                assertTrue(names.stream().anyMatch(n -> n.endsWith(".mp4")), names.toString());
                assertTrue(names.stream().noneMatch(n -> n.endsWith(".fmp4")), "fragment file deleted: " + names);
            }
        }
    }

    private static String body(String url) throws Exception {
        HttpResponse<String> answer = Http.get(url);
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.body();
    }

    private static long sequence(String playlist) {
        Matcher m = SEQUENCE.matcher(playlist);
        assertTrue(m.find(), playlist);
        return Long.parseLong(m.group(1));
    }

    private static double seconds(String playlist) {
        Matcher m = EXTINF.matcher(playlist);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    /** The first media segment's URI, with its query. */
    private static String firstSegment(String playlist) {
        return playlist.lines().filter(l -> l.contains(".m4s")).findFirst().orElseThrow();
    }
}
