package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.ClusterNode;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.LadderPublisher;
import fluxrelay.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renditions in a cluster: room {@code abr} (made through A's admin API, with a rendition {@code 180p} bound to its own
 * stream name; the cluster's room store gives it to both nodes) publishes a 640x360 program and a 320x180 rendition to
 * node A. Node B learns that the rendition is live, and its rate, from A's heartbeat: it
 * refuses an unknown one with the list, serves two HTTP-FLV viewers of {@code ?rendition=180p} from one pull and an
 * RTMP one too (ffprobe reads 320x180), ends the pull after its last viewer left, and answers the multivariant playlist
 * listing the rendition and the rendition's media playlist with segments.
 */
class RenditionsAcrossNodesEndToEndTest {

    private static final String MAIN_KEY = "abr-main-key-0123456789";
    private static final String LOW_KEY = "abr-low-key-0123456789";
    private static final String SECRET = "cluster-secret-for-tests-0123456789";
    private static final String TOKEN_SECRET = "bandwidth-token-secret-0123456789";
    private static final String COMMON = "relay.cluster { heartbeat-interval = 300ms, lease-ttl = 2s, pull-idle-timeout = 2s }\n"
            + "relay.bandwidth.token-secret = \"" + TOKEN_SECRET + "\"";

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }

    private static String probe(String url) throws Exception {
        try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-rw_timeout", "15000000", "-select_streams", "v",
                "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", url)) {
            assertEquals(0, probe.await(60), probe.output());
            return probe.output();
        }
    }

    /** The URIs (lines that are no tag) of a playlist; empty while it answers no 200. */
    private static List<String> uris(String url) throws Exception {
        var answer = Http.get(url);
        return answer.statusCode() != 200 ? List.of()
                : answer.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }

    @Test
    void anEdgePullsTheRenditionAViewerAsksForAndListsTheOriginsRenditions(@TempDir Path dir) throws Exception {
        List<AutoCloseable> cleanup = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            ClusterNode a = ClusterNode.configure(dir, "node-a", redis, SECRET, COMMON);
            ClusterNode b = ClusterNode.configure(dir, "node-b", redis, SECRET, COMMON);
            cleanup.add(a);
            a.start();
            cleanup.add(b);
            b.start();
            assertEquals(201, Http.send("POST", a.url("/api/rooms"), "{\"id\":\"abr\",\"streamName\":\"" + MAIN_KEY
                    + "\",\"renditions\":[{\"id\":\"180p\",\"streamName\":\"" + LOW_KEY + "\"}]}", null)
                    .statusCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(b.url("/api/rooms/abr")).statusCode() == 200);
            Ffmpeg.Run encoder = LadderPublisher.start(a.rtmp(), "live", MAIN_KEY, 1200, LOW_KEY, 300);
            cleanup.add(encoder);

            // B knows A's rendition from A's heartbeat: an unknown one is refused with the list.
            await().atMost(Duration.ofSeconds(30)).until(() -> Http.get(b.url("/live/abr.flv?rendition=1080p")).body()
                    .contains("available: 180p"));

            // Two HTTP-FLV viewers of the rendition on B: one pull from A.
            HttpFlvTestClient first = new HttpFlvTestClient(b.url("/live/abr.flv?rendition=180p"));
            cleanup.add(first);
            HttpFlvTestClient second = new HttpFlvTestClient(b.url("/live/abr.flv?rendition=180p"));
            cleanup.add(second);
            await().atMost(Duration.ofSeconds(20)).until(() -> first.media().stream().anyMatch(HttpFlvTestClient.Tag::keyframe)
                    && second.media().stream().anyMatch(HttpFlvTestClient.Tag::keyframe));
            assertEquals(1.0, metric(b.metrics(), "fluxrelay_cluster_pulls_open"), "one pull for both viewers");
            String rtmp = probe("rtmp://127.0.0.1:" + b.rtmp() + "/live/abr?rendition=180p");
            assertTrue(rtmp.contains("h264,320,180"), "RTMP from B: " + rtmp);
            String flv = probe(b.url("/live/abr.flv?rendition=180p"));
            assertTrue(flv.contains("h264,320,180"), "HTTP-FLV from B: " + flv);
            assertTrue(probe(b.url("/live/abr.flv")).contains("h264,640,360"), "the room's own URL plays the program");
            assertEquals(2.0, metric(b.metrics(), "fluxrelay_cluster_pulls_started_total"),
                    "one pull of the rendition shared by its three viewers, one of the program");

            // HLS on B: the multivariant playlist lists the rendition, whose media playlist has segments.
            await().atMost(Duration.ofSeconds(30)).until(() -> uris(b.url("/hls/abr/r/180p/stream.m3u8")).size() >= 2);
            String master = Http.get(b.url("/hls/abr/index.m3u8")).body();
            assertTrue(master.contains("RESOLUTION=320x180") && master.contains("r/180p/"), master);
            assertTrue(master.contains("RESOLUTION=640x360"), master);
            // A viewer whose probe measured 0.6 Mbit/s (below the room's 3): B's multivariant playlist, answered by A,
            // lists only the rendition that figure carries, as A's own does.
            String slow = new fluxrelay.bandwidth.ProbeTokens(TOKEN_SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    Duration.ofMinutes(5), java.time.Clock.systemUTC()).issue("abr", 600_000,
                    fluxrelay.bandwidth.MeasurementMethod.TCP_ACKS);
            for (ClusterNode node : List.of(a, b)) {
                String fitting = Http.get(node.url("/hls/abr/index.m3u8?bwtoken=" + slow)).body();
                assertTrue(fitting.contains("RESOLUTION=320x180") && !fitting.contains("RESOLUTION=640x360"), fitting);
            }
            String segment = uris(b.url("/hls/abr/r/180p/stream.m3u8")).get(0);
            assertEquals(200, Http.get(b.url("/hls/abr/r/180p/" + segment)).statusCode(), segment);

            // The pulls end once their last viewer has left.
            first.close();
            second.close();
            await().atMost(Duration.ofSeconds(20)).until(() -> metric(b.metrics(), "fluxrelay_cluster_pulls_open") == 0.0);
            assertTrue(encoder.alive(), encoder.output());
        } finally {
            for (int i = cleanup.size() - 1; i >= 0; i--) {
                try {
                    cleanup.get(i).close();
                } catch (Exception ignored) {
                    // best effort: every process is stopped
                }
            }
        }
    }
}
