package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HlsTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP side of HLS: types, caching, validators, HEAD, ranges, CORS and what is not reachable. */
class HlsHttpTest {

    private static TestServer server;
    private static HlsTestClient hls;
    private static HlsTestClient root;
    private static String segment;

    @BeforeAll
    static void publishOnce() throws Exception {
        server = TestServer.start("relay.hls.playlist-max-age = 1s\nrelay.hls.segment-max-age = 1h");
        hls = new HlsTestClient(server.httpUrl("/hls/demo/"));
        root = new HlsTestClient(server.httpUrl(""));
        try (Ffmpeg.Run publisher = Ffmpeg.startFfmpeg("-i", SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f",
                "flv", server.rtmpUrl("live", TestServer.KEY))) {
            assertEquals(0, publisher.await(60), publisher.output());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            String playlist = hls.playlist("stream.m3u8");
            return playlist != null && playlist.contains("#EXT-X-ENDLIST");
        });
        segment = HlsTestClient.entries(hls.playlist("stream.m3u8")).get(1).uri();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void playlistsAreShortLivedAndSegmentsImmutable() throws Exception {
        for (String file : List.of("index.m3u8", "stream.m3u8")) {
            HttpResponse<byte[]> response = hls.get(file);
            assertEquals(200, response.statusCode());
            assertEquals("application/vnd.apple.mpegurl", header(response, "content-type"));
            assertEquals("public, max-age=1", header(response, "cache-control"));
            assertEquals("*", header(response, "access-control-allow-origin"));
            assertTrue(header(response, "etag").startsWith("\""));
            assertTrue(header(response, "last-modified").endsWith("GMT"));
        }
        HttpResponse<byte[]> response = hls.get(segment);
        assertEquals(200, response.statusCode());
        assertEquals("video/mp2t", header(response, "content-type"));
        assertEquals("public, max-age=3600, immutable", header(response, "cache-control"));
        assertEquals("*", header(response, "access-control-allow-origin"));
        assertEquals("bytes", header(response, "accept-ranges"));
        assertEquals(String.valueOf(response.body().length), header(response, "content-length"));
        assertEquals(0, response.body().length % 188);
        assertEquals(0x47, response.body()[0]);
    }

    @Test
    void validatorsGiveNotModified() throws Exception {
        for (String file : List.of("stream.m3u8", segment)) {
            HttpResponse<byte[]> first = hls.get(file);
            HttpResponse<byte[]> byTag = hls.get(file, "If-None-Match", header(first, "etag"));
            assertEquals(304, byTag.statusCode());
            assertEquals(0, byTag.body().length);
            assertEquals(304, hls.get(file, "If-Modified-Since", header(first, "last-modified")).statusCode());
            assertEquals(200, hls.get(file, "If-None-Match", "\"other\"").statusCode());
        }
    }

    @Test
    void headAndRangesAnswerWithoutTheWholeBody() throws Exception {
        byte[] whole = hls.get(segment).body();
        HttpResponse<byte[]> head = hls.send("HEAD", segment);
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(whole.length), header(head, "content-length"));
        assertEquals(0, head.body().length);

        HttpResponse<byte[]> part = hls.get(segment, "Range", "bytes=188-375");
        assertEquals(206, part.statusCode());
        assertEquals("bytes 188-375/" + whole.length, header(part, "content-range"));
        assertArrayEquals(Arrays.copyOfRange(whole, 188, 376), part.body());

        HttpResponse<byte[]> tail = hls.get(segment, "Range", "bytes=-100");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(whole, whole.length - 100, whole.length), tail.body());

        HttpResponse<byte[]> open = hls.get(segment, "Range", "bytes=" + (whole.length - 10) + "-");
        assertArrayEquals(Arrays.copyOfRange(whole, whole.length - 10, whole.length), open.body());

        HttpResponse<byte[]> beyond = hls.get(segment, "Range", "bytes=" + whole.length + "-");
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */" + whole.length, header(beyond, "content-range"));

        assertEquals(200, hls.get(segment, "Range", "bytes=0-1,5-6").statusCode(), "several ranges: the whole segment");
        assertEquals(200, hls.get(segment, "Range", "bytes=0-9", "If-Range", "\"stale\"").statusCode());
    }

    @Test
    void browsersOnOtherOriginsMayAsk() throws Exception {
        HttpResponse<byte[]> preflight = hls.send("OPTIONS", "stream.m3u8", "Origin", "https://player.example",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "range");
        assertEquals(204, preflight.statusCode());
        assertEquals("*", header(preflight, "access-control-allow-origin"));
        assertTrue(header(preflight, "access-control-allow-methods").contains("GET"));
        assertEquals("range", header(preflight, "access-control-allow-headers"));
        assertTrue(header(hls.get("stream.m3u8"), "access-control-expose-headers").contains("Content-Range"));
    }

    @Test
    void unknownRoomsSegmentsAndPathsAreNotFound() throws Exception {
        assertEquals(404, root.get("/hls/nosuchroom/index.m3u8").statusCode());
        assertEquals(404, root.get("/hls/" + TestServer.KEY + "/index.m3u8").statusCode(), "never by the stream key");
        assertEquals(404, hls.get("nosuch-1.ts").statusCode());
        assertEquals(404, hls.get("segment.ts").statusCode());
        assertEquals(404, hls.get("sub/" + segment).statusCode());
        assertEquals(404, root.get("/hls/demo").statusCode());
        assertEquals(404, root.get("/hls/demo/").statusCode());
        assertEquals(400, root.get("/hls/demo/../../etc/passwd").statusCode());
        assertEquals(400, root.get("/hls/demo/%2e%2e/index.m3u8").statusCode());
        assertEquals(405, hls.send("POST", "stream.m3u8").statusCode());
        HttpResponse<byte[]> notFound = hls.get("nosuch-1.ts");
        assertEquals("no-cache", header(notFound, "cache-control"));
    }

    @Test
    void theEndedPlaylistListsEverySegmentOnce() throws Exception {
        String playlist = hls.playlist("stream.m3u8");
        assertTrue(playlist.startsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n"), playlist);
        assertTrue(playlist.endsWith("#EXT-X-ENDLIST\n"), playlist);
        List<HlsTestClient.Entry> entries = HlsTestClient.entries(playlist);
        // Keyframes at 0, 2, 4 and 6 s (the clip's last two pictures): three whole segments and a short last one.
        assertEquals(4, entries.size(), playlist);
        assertEquals(List.of(2.0, 2.0, 2.0), entries.subList(0, 3).stream().map(HlsTestClient.Entry::duration).toList());
        assertTrue(entries.get(3).duration() < 0.1, playlist);
        assertEquals(entries.size(), entries.stream().map(HlsTestClient.Entry::uri).distinct().count());
    }
}
