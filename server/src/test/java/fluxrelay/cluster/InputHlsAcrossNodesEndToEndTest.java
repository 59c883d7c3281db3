package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RedisServer;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watching one input in a cluster (issue 19): room {@code stage}'s input {@code main} publishes to node A, its input
 * {@code cam2} to node B. Each node answers both inputs' HLS URLs with the segments of the node the input publishes to
 * (segment names carry a random prefix per packaging, so whose they are shows), and ffmpeg decodes cam2 from A.
 */
class InputHlsAcrossNodesEndToEndTest {

    private static final String MAIN_KEY = "stage-main-key-0123456789";
    private static final String CAM2_KEY = "stage-cam2-key-0123456789";
    private static final String SECRET = "cluster-secret-for-tests-0123456789";

    private record Node(String id, int rtmp, int http, Process process) {
        String url(String path) {
            return "http://127.0.0.1:" + http + path;
        }

        String publishUrl(String key) {
            return "rtmp://127.0.0.1:" + rtmp + "/live/" + key;
        }
    }

    private static Node start(Path dir, String id, RedisServer redis) throws Exception {
        int rtmp = ServerProcess.freePort();
        int http = ServerProcess.freePort();
        Path conf = dir.resolve(id + ".conf");
        Files.writeString(conf, "relay.rtmp { host = 127.0.0.1, port = " + rtmp + " }\n"
                + "relay.http { host = 127.0.0.1, port = " + http + " }\n"
                + "relay.demo-room.enabled = false\n"
                + "relay.cluster { enabled = true, node-id = " + id + ", advertise-host = 127.0.0.1, redis-uri = \"" + redis.uri()
                + "\", secret = \"" + SECRET + "\", heartbeat-interval = 300ms, lease-ttl = 2s }\n");
        Node node = new Node(id, rtmp, http, ServerProcess.start(conf, dir.resolve(id + ".log")));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> Http.get(node.url("/health/ready")).statusCode() == 200);
        return node;
    }

    private static void stop(Node node) throws InterruptedException {
        if (node != null) {
            node.process().destroy();
            if (!node.process().waitFor(20, TimeUnit.SECONDS)) {
                node.process().destroyForcibly();
                node.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Creates room {@code id} on A with inputs {@code first} ({@link #MAIN_KEY}) and cam2, and waits until B has it. */
    private static void createRoom(Node a, Node b, String id, String first) throws Exception {
        var created = Http.send("POST", a.url("/api/rooms"), "{\"id\":\"" + id + "\",\"inputs\":[{\"id\":\"" + first
                + "\",\"streamName\":\"" + MAIN_KEY + "\"},{\"id\":\"cam2\",\"streamName\":\"" + CAM2_KEY + "\"}]}", null);
        assertEquals(201, created.statusCode(), created.body());
        await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(b.url("/api/rooms/" + id)).statusCode() == 200);
    }

    /** The segment URIs a media playlist lists; empty while there is none. */
    private static Set<String> segments(String url) throws Exception {
        var answer = Http.get(url);
        Set<String> uris = new LinkedHashSet<>();
        if (answer.statusCode() == 200) {
            for (String line : answer.body().split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    uris.add(line.trim());
                }
            }
        }
        return uris;
    }

    /** The packaging's name prefix of a segment URI ({@code abcdefgh-} of {@code abcdefgh-12.ts}). */
    private static String prefix(String uri) {
        return uri.substring(0, uri.indexOf('-') + 1);
    }

    @Test
    void eachNodeAnswersAnInputsHlsFromTheNodeItPublishesTo(@TempDir Path dir) throws Exception {
        Node a = null;
        Node b = null;
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            a = start(dir, "node-a", redis);
            b = start(dir, "node-b", redis);
            Node nodeA = a;
            Node nodeB = b;
            createRoom(a, b, "stage", "main");
            String sample = SampleMedia.file(SampleMedia.AV_720P).toString();
            try (Ffmpeg.Run main = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample, "-c", "copy", "-f", "flv",
                    a.publishUrl(MAIN_KEY));
                 Ffmpeg.Run cam2 = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample, "-c", "copy", "-f", "flv",
                         b.publishUrl(CAM2_KEY))) {
                await().atMost(Duration.ofSeconds(40)).until(() -> segments(nodeA.url("/hls/stage/stream.m3u8")).size() >= 2
                        && segments(nodeB.url("/hls/stage/cam2/stream.m3u8")).size() >= 2);
                // The room's URLs play its program, made where the main input publishes (A); each input has its own.
                await().atMost(Duration.ofSeconds(40)).until(() -> segments(nodeA.url("/hls/stage/main/stream.m3u8")).size() >= 2);
                String programPrefix = prefix(segments(a.url("/hls/stage/stream.m3u8")).iterator().next());
                String mainPrefix = prefix(segments(a.url("/hls/stage/main/stream.m3u8")).iterator().next());
                String cam2Prefix = prefix(segments(b.url("/hls/stage/cam2/stream.m3u8")).iterator().next());
                assertEquals(3, Set.of(programPrefix, mainPrefix, cam2Prefix).size(), "three packagings, three name prefixes");

                // Both nodes list each input's segments as the node it publishes to packages them.
                for (Node node : new Node[] {a, b}) {
                    for (String path : new String[] {"/hls/stage/cam2/stream.m3u8", "/hls/stage/main/stream.m3u8",
                            "/hls/stage/stream.m3u8"}) {
                        String expected = path.contains("cam2") ? cam2Prefix : path.contains("main") ? mainPrefix : programPrefix;
                        Set<String> listed = segments(node.url(path));
                        assertFalse(listed.isEmpty(), node.id() + " " + path);
                        assertTrue(listed.stream().allMatch(uri -> uri.startsWith(expected)), node.id() + " " + path + ": " + listed);
                    }
                }
                String cam2Segment = segments(a.url("/hls/stage/cam2/stream.m3u8")).iterator().next();
                assertEquals(200, Http.get(a.url("/hls/stage/cam2/" + cam2Segment)).statusCode(), "a segment of cam2 through A");
                try (Ffmpeg.Run decode = Ffmpeg.startFfmpeg("-v", "error", "-i", a.url("/hls/stage/cam2/index.m3u8"), "-t", "4",
                        "-f", "null", "-")) {
                    assertEquals(0, decode.await(90), decode.output());
                }
                assertTrue(main.alive() && cam2.alive());
            }
        } finally {
            stop(a);
            stop(b);
        }
    }

    /**
     * A room without a {@code main} input ({@code cam1}, {@code cam2}) publishing on A only: B finds its program where
     * {@code cam1} publishes, for HLS (A's segments, same name prefix) and for RTMP (ffmpeg decodes the room from B).
     */
    @Test
    void aProgramIsFoundWhereAnyInputPublishes(@TempDir Path dir) throws Exception {
        Node a = null;
        Node b = null;
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            a = start(dir, "node-a", redis);
            b = start(dir, "node-b", redis);
            Node nodeA = a;
            Node nodeB = b;
            createRoom(a, b, "angles", "cam1");
            String sample = SampleMedia.file(SampleMedia.AV_720P).toString();
            try (Ffmpeg.Run cam1 = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample, "-c", "copy", "-f", "flv",
                    a.publishUrl(MAIN_KEY))) {
                await().atMost(Duration.ofSeconds(40)).until(() -> segments(nodeA.url("/hls/angles/stream.m3u8")).size() >= 2);
                String programPrefix = prefix(segments(a.url("/hls/angles/stream.m3u8")).iterator().next());
                await().atMost(Duration.ofSeconds(20)).until(() -> !segments(nodeB.url("/hls/angles/stream.m3u8")).isEmpty());
                Set<String> onB = segments(b.url("/hls/angles/stream.m3u8"));
                assertTrue(onB.stream().allMatch(uri -> uri.startsWith(programPrefix)), "B lists A's program segments: " + onB);
                try (Ffmpeg.Run decode = Ffmpeg.startFfmpeg("-v", "error", "-i", "rtmp://127.0.0.1:" + b.rtmp() + "/live/angles",
                        "-t", "3", "-f", "null", "-")) {
                    assertEquals(0, decode.await(90), decode.output());
                }
                assertTrue(cam1.alive());
            }
        } finally {
            stop(a);
            stop(b);
        }
    }
}
