package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.ClusterNode;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.RedisServer;
import fluxrelay.testing.SampleMedia;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two server processes on a real redis-server, ffmpeg publishing to A: B answers the room's HLS with A's playlists
 * (same sequence numbers and URIs), also while it pulls the room for an HTTP-FLV viewer (and packages nothing from
 * that pull), a blocking low-latency reload on B waits for its part, ffmpeg decodes HLS from B, a player whose requests alternate between the nodes
 * decodes, and a forwarded request with a forged signature is refused.
 */
class HlsAcrossNodesEndToEndTest {

    private static final String KEY = "hls-key-0123456789abcdef";
    private static final String SECRET = "cluster-secret-for-tests-0123456789";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");

    private static ClusterNode start(Path dir, String id, RedisServer redis) throws Exception {
        return ClusterNode.start(dir, id, redis, SECRET,
                "relay.demo-room.enabled = false\nrelay.cluster { heartbeat-interval = 300ms, lease-ttl = 2s }");
    }

    private static HttpResponse<byte[]> fetch(String url, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String text(String url) throws Exception {
        HttpResponse<byte[]> answer = fetch(url);
        assertEquals(200, answer.statusCode(), url);
        return new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Each segment URI of a media playlist with its media sequence number. */
    private static Map<String, Long> numbered(String playlist) {
        Matcher m = SEQUENCE.matcher(playlist);
        assertTrue(m.find(), playlist);
        long msn = Long.parseLong(m.group(1));
        Map<String, Long> segments = new LinkedHashMap<>();
        for (String line : playlist.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                segments.put(line.trim(), msn++);
            }
        }
        return segments;
    }

    /** Fetched one after the other, the two playlists are the same bytes, or number the segments they share alike. */
    private static boolean sameOnBoth(ClusterNode a, ClusterNode b, String file) throws Exception {
        String fromA = text(a.url("/hls/demo/" + file));
        String fromB = text(b.url("/hls/demo/" + file));
        Map<String, Long> onA = numbered(fromA);
        Map<String, Long> onB = numbered(fromB);
        int shared = 0;
        for (Map.Entry<String, Long> segment : onB.entrySet()) {
            if (onA.containsKey(segment.getKey())) {
                assertEquals(onA.get(segment.getKey()), segment.getValue(), "segment " + segment.getKey() + "\nA:\n" + fromA + "\nB:\n" + fromB);
                shared++;
            }
        }
        assertTrue(shared >= onA.size() - 2, "the playlists share their segments\nA:\n" + fromA + "\nB:\n" + fromB);
        return fromA.equals(fromB);
    }

    private static void assertDecodes(String input, String what) throws Exception {
        try (Ffmpeg.Run decode = Ffmpeg.startFfmpeg("-v", "error", "-i", input, "-t", "6", "-f", "null", "-")) {
            int exit = decode.await(90);
            assertEquals(0, exit, what + ": " + decode.output());
            assertFalse(decode.output().toLowerCase().contains("error"), what + ": " + decode.output());
        }
    }

    @Test
    void everyNodeAnswersTheOriginsPlaylistsAndSegments(@TempDir Path dir) throws Exception {
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"));
                ClusterNode a = start(dir, "node-a", redis);
                ClusterNode b = start(dir, "node-b", redis)) {
            assertEquals(201, Http.send("POST", a.url("/api/rooms"), "{\"id\":\"demo\",\"streamName\":\"" + KEY + "\"}", null)
                    .statusCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(b.url("/api/rooms/demo")).statusCode() == 200);
            try (Ffmpeg.Run encoder = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                    "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:" + a.rtmp() + "/live/" + KEY);
                 HttpFlvTestClient flvOnB = new HttpFlvTestClient(b.url("/live/demo.flv"))) {
                // B pulls the room for its HTTP-FLV viewer; its HLS still comes from A, and B packages nothing.
                await().atMost(Duration.ofSeconds(30)).until(() -> flvOnB.media().stream().anyMatch(HttpFlvTestClient.Tag::keyframe));
                await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                        .until(() -> numbered(text(a.url("/hls/demo/stream.m3u8"))).size() >= 3);

                assertEquals(text(a.url("/hls/demo/index.m3u8")), text(b.url("/hls/demo/index.m3u8")));
                for (String file : new String[] {"stream.m3u8", "ll.m3u8"}) {
                    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> sameOnBoth(a, b, file));
                }
                // A blocking reload at the edge waits for the part as at the origin.
                String ll = text(b.url("/hls/demo/ll.m3u8"));
                Matcher msn = SEQUENCE.matcher(ll);
                assertTrue(msn.find());
                long next = Long.parseLong(msn.group(1)) + numbered(ll).size() + 1;
                String blocked = text(b.url("/hls/demo/ll.m3u8?_HLS_msn=" + next + "&_HLS_part=0"));
                Matcher blockedMsn = SEQUENCE.matcher(blocked);
                assertTrue(blockedMsn.find(), blocked);
                assertTrue(Long.parseLong(blockedMsn.group(1)) + numbered(blocked).size() >= next, "segment " + next + " begun:\n" + blocked);

                assertDecodes(b.url("/hls/demo/index.m3u8"), "HLS from the edge");

                // A player going back and forth: playlists and segments from either node, in turn.
                TreeMap<Long, byte[]> segments = new TreeMap<>();
                ClusterNode[] nodes = {a, b};
                int turn = 0;
                for (int round = 0; round < 3; round++) {
                    ClusterNode forPlaylist = nodes[turn++ % 2];
                    for (Map.Entry<String, Long> segment : numbered(text(forPlaylist.url("/hls/demo/stream.m3u8"))).entrySet()) {
                        if (!segments.containsKey(segment.getValue())) {
                            HttpResponse<byte[]> got = fetch(nodes[turn++ % 2].url("/hls/demo/" + segment.getKey()));
                            assertEquals(200, got.statusCode(), segment.getKey());
                            segments.put(segment.getValue(), got.body());
                        }
                    }
                    long last = segments.lastKey();
                    await().atMost(Duration.ofSeconds(15)).until(() -> numbered(text(a.url("/hls/demo/stream.m3u8"))).containsValue(last + 1));
                }
                ByteArrayOutputStream joined = new ByteArrayOutputStream();
                long expected = segments.firstKey();
                for (Map.Entry<Long, byte[]> segment : segments.entrySet()) {
                    assertEquals(expected++, segment.getKey(), "no segment missed");
                    joined.write(segment.getValue());
                }
                Path ts = dir.resolve("alternating.ts");
                Files.write(ts, joined.toByteArray());
                assertDecodes(ts.toString(), "segments fetched from both nodes in turn");

                Path logB = dir.resolve("node-b.log");
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> Files.readString(logB).contains("room demo: not packaged here while its publish is relayed"));
                assertFalse(Files.readString(logB).contains("HLS packaging started"), "the edge packages nothing from its pull");
                assertTrue(Files.readString(dir.resolve("node-a.log")).contains("HLS packaging started"));

                // Only the cluster's secret makes a forwarded request.
                HttpResponse<byte[]> forged = fetch(a.url("/hls/demo/stream.m3u8"), "Fluxrelay-Forwarded-Hls",
                        "node-b " + (System.currentTimeMillis() / 1000 + 30) + " 00ff00ff");
                assertEquals(403, forged.statusCode());
                assertTrue(encoder.alive());
            }
        }
    }
}
