package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.BurntInClock;
import fluxrelay.testing.ClusterNode;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.NginxBalancer;
import fluxrelay.testing.RedisServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hls.js in Chromium plays a room through a round-robin load balancer (nginx, no caching, no stickiness) in front of
 * two nodes on a real redis-server, ffmpeg publishing to node A: the player's playlist, segment and part requests
 * land on both nodes in turn, and it plays without a fatal error or a network error, HLS and LL-HLS alike. The stall
 * figures measured on the page are printed.
 */
class HlsJsAcrossNodesEndToEndTest {

    private static final String KEY = "hlsjs-key-0123456789abcdef";
    private static final String SECRET = "cluster-secret-for-tests-0123456789";
    private static final int SAMPLE_SECONDS = 20;
    private static final int START_TIMEOUT_SECONDS = 40;
    private static final int GOP_FRAMES = 30;

    @TempDir
    static Path dir;
    private static RedisServer redis;
    private static ClusterNode a;
    private static ClusterNode b;
    private static NginxBalancer balancer;
    private static Ffmpeg.Run encoder;
    private static long epoch;

    @BeforeAll
    static void cluster() throws Exception {
        BrowserPlayer.requireReady();
        redis = RedisServer.start(dir.resolve("redis"));
        a = node("node-a");
        b = node("node-b");
        // Weights 2 and 1 (A B A A B A ...): a turn of three, against the player's alternation of playlist and media
        // request (two), so each node gets both kinds; with equal weights one node could get only playlists.
        balancer = NginxBalancer.start(dir.resolve("nginx"), new NginxBalancer.Upstream(a.http(), 2), new NginxBalancer.Upstream(b.http(), 1));
        assertEquals(201, Http.send("POST", a.url("/api/rooms"), "{\"id\":\"demo\",\"streamName\":\"" + KEY + "\"}", null).statusCode());
        await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(b.url("/api/rooms/demo")).statusCode() == 200);
        epoch = System.currentTimeMillis();
        encoder = BurntInClock.publish(a.rtmpUrl(KEY), epoch, GOP_FRAMES);
        // Both nodes list segments (B forwards A's playlist) before the player starts.
        for (ClusterNode node : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(40)).ignoreExceptions()
                    .until(() -> Http.get(node.url("/hls/demo/stream.m3u8")).body().split("#EXTINF").length > 2);
        }
    }

    private static ClusterNode node(String id) throws Exception {
        return ClusterNode.start(dir, id, redis, SECRET, "relay.demo-room.enabled = false");
    }

    @AfterAll
    static void stop() throws Exception {
        // Each stopped even if another one's stop fails.
        try (RedisServer r = redis; ClusterNode nodeA = a; ClusterNode nodeB = b; NginxBalancer lb = balancer; Ffmpeg.Run e = encoder) {
            assertTrue(e == null || e.alive(), () -> "the encoder ran throughout: " + e.output());
        }
    }

    @Test
    void hlsJsPlaysThroughARoundRobinBalancerOverTwoNodes() throws Exception {
        watch("index.m3u8", false);
    }

    @Test
    void hlsJsInLowLatencyModePlaysThroughARoundRobinBalancerOverTwoNodes() throws Exception {
        watch("ll.m3u8", true);
    }

    private static void watch(String playlist, boolean lowLatency) throws Exception {
        int before = balancer.requests().size();
        BrowserPlayer.Result result = BrowserPlayer.play(balancer.url("/hls/demo/" + playlist), lowLatency, 1, epoch, SAMPLE_SECONDS,
                START_TIMEOUT_SECONDS);
        List<NginxBalancer.Request> requests = balancer.requests();
        requests = requests.subList(before, requests.size());
        JsonNode r = result.json();
        int samples = Math.max(1, (int) Math.round(r.path("sampledSeconds").asDouble() * 4));
        System.out.printf("hls.js across two nodes, %s%s: advanced %.1f s in %.1f s, %d of %d samples stalled, %d waiting events, "
                        + "%d frames dropped, start-up %d ms, behind the encoder p50 %d ms; requests %s; hls.js %s, Chromium %s%n",
                playlist, lowLatency ? " (lowLatencyMode)" : "", r.path("currentTimeAdvanced").asDouble(), r.path("sampledSeconds").asDouble(),
                r.path("stalledSamples").asInt(), samples, r.path("waitingEvents").asInt(), r.path("framesDropped").asInt(),
                r.path("startupMs").asLong(), r.path("behindEncoderMs").path("p50").asLong(),
                requests.stream().collect(Collectors.groupingBy(q -> kind(q.uri()) + "@" + q.upstream() + " " + q.status(), Collectors.counting())),
                r.path("hlsVersion").asText(), r.path("browser").asText());

        String all = result.output();
        assertTrue(r.path("currentTimeAdvanced").asDouble() >= 10, "the position advanced by 10 s or more: " + all);
        assertTrue(r.path("framesPresented").asInt() > 0, "frames were presented: " + all);
        for (JsonNode error : r.path("errors")) {
            assertTrue(!error.path("fatal").asBoolean() && !"networkError".equals(error.path("type").asText()),
                    "hls.js error " + error + ": " + all);
        }
        assertTrue(r.path("stalledSamples").asInt() < samples / 4, "stalled for less than a quarter of the time: " + all);

        Set<String> nodes = Set.of("127.0.0.1:" + a.http(), "127.0.0.1:" + b.http());
        assertEquals(nodes, upstreams(requests, "playlist"), "playlists from both nodes: " + requests);
        assertEquals(nodes, upstreams(requests, "media"), "segments or parts from both nodes: " + requests);
        // 499 is nginx's "the client closed the request": the page closing while a blocking reload waits, not a failure.
        List<?> failed = requests.stream().filter(q -> q.status() >= 400 && q.status() != 499).toList();
        assertTrue(failed.isEmpty(), "no request failed: " + failed + " of " + requests.size());
    }

    private static Set<String> upstreams(List<NginxBalancer.Request> requests, String kind) {
        return requests.stream().filter(q -> kind(q.uri()).equals(kind)).map(NginxBalancer.Request::upstream).collect(Collectors.toSet());
    }

    private static String kind(String uri) {
        String path = uri.contains("?") ? uri.substring(0, uri.indexOf('?')) : uri;
        return path.endsWith(".m3u8") ? "playlist" : "media";
    }
}
