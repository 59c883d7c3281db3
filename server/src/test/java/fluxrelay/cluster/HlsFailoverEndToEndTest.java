package fluxrelay.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.ClusterNode;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RedisServer;
import fluxrelay.testing.SampleMedia;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HLS across a failover, three server processes on a real redis-server: ffmpeg publishes to A; viewers poll the
 * playlists on B and on C (a pure edge) every 250 ms; A is killed ({@code kill -9}) and the encoder republishes to B,
 * which takes the room once A's lease expired. Throughout, no playlist request fails (the edges answer the last
 * playlist they relayed, the new origin holds requests until its first segment), media sequence numbers never go
 * back, the first segment of the new origin carries an EXT-X-DISCONTINUITY and the discontinuity sequence grows, a
 * blocking LL-HLS reload on C held through the gap is answered, and the segments on both sides of the boundary
 * decode. The gap a viewer sees is printed.
 */
class HlsFailoverEndToEndTest {

    private static final String KEY = "failover-key-0123456789ab";
    private static final String SECRET = "cluster-secret-for-tests-0123456789";
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final Pattern DISCONTINUITY_SEQUENCE = Pattern.compile("#EXT-X-DISCONTINUITY-SEQUENCE:(\\d+)");

    /** One playlist request of a polling viewer. */
    private record Sample(String where, long atNanos, int status, String body) {
    }

    /** A media segment as a playlist lists it. */
    private record Listed(long msn, String name, boolean discontinuity, long programDateTime, long durationMs) {
    }

    private static ClusterNode node(Path dir, String id, RedisServer redis) throws Exception {
        return ClusterNode.configure(dir, id, redis, SECRET, "relay.demo-room.enabled = false\n"
                + "relay.hls { window = 3 }\n"
                + "relay.cluster { heartbeat-interval = 300ms, lease-ttl = 3s }");
    }

    private static HttpResponse<byte[]> fetch(String url) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static Ffmpeg.Run publish(int rtmpPort) throws Exception {
        return Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy",
                "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/" + KEY);
    }

    private static long number(Pattern pattern, String playlist) {
        Matcher m = pattern.matcher(playlist);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The segments a media playlist lists, numbered. */
    private static List<Listed> listed(String playlist) {
        List<Listed> out = new ArrayList<>();
        long msn = number(SEQUENCE, playlist);
        boolean discontinuity = false;
        long pdt = 0;
        long duration = 0;
        for (String line : playlist.split("\n")) {
            if (line.equals("#EXT-X-DISCONTINUITY")) {
                discontinuity = true;
            } else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) {
                pdt = OffsetDateTime.parse(line.substring(line.indexOf(':') + 1)).toInstant().toEpochMilli();
            } else if (line.startsWith("#EXTINF:")) {
                duration = Math.round(Double.parseDouble(line.substring(8, line.indexOf(','))) * 1000);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                out.add(new Listed(msn++, line.trim(), discontinuity, pdt, duration));
                discontinuity = false;
            }
        }
        return out;
    }

    private static void assertDecodes(Path file, String what) throws Exception {
        try (Ffmpeg.Run decode = Ffmpeg.startFfmpeg("-v", "error", "-i", file.toString(), "-f", "null", "-")) {
            int exit = decode.await(60);
            assertEquals(0, exit, what + ": " + decode.output());
            assertEquals("", decode.output().strip(), what + " decodes without a word at -v error");
        }
    }

    @Test
    void viewersOnSurvivingNodesSeeTheSequenceGoOnWithADiscontinuityAndNoErrors(@TempDir Path dir) throws Exception {
        List<AutoCloseable> cleanup = new ArrayList<>();
        ScheduledExecutorService pollers = Executors.newScheduledThreadPool(4);
        cleanup.add(pollers::shutdownNow);
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            ClusterNode a = node(dir, "node-a", redis);
            ClusterNode b = node(dir, "node-b", redis);
            ClusterNode c = node(dir, "node-c", redis);
            cleanup.add(a::kill);
            a.start();
            cleanup.add(b);
            b.start();
            cleanup.add(c);
            c.start();
            assertEquals(201, Http.send("POST", a.url("/api/rooms"), "{\"id\":\"demo\",\"streamName\":\"" + KEY + "\"}", null)
                    .statusCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(b.url("/api/rooms/demo")).statusCode() == 200
                    && Http.get(c.url("/api/rooms/demo")).statusCode() == 200);
            Ffmpeg.Run encoder = publish(a.rtmp());
            cleanup.add(encoder);
            for (ClusterNode edge : List.of(b, c)) {
                await().atMost(Duration.ofSeconds(40)).ignoreExceptions().until(() -> {
                    HttpResponse<byte[]> got = fetch(edge.url("/hls/demo/stream.m3u8"));
                    return got.statusCode() == 200 && listed(new String(got.body(), StandardCharsets.UTF_8)).size() >= 3;
                });
            }

            // Viewers: B's and C's MPEG-TS playlists and B's LL-HLS playlist every 250 ms; segments fetched through B.
            List<Sample> samples = new CopyOnWriteArrayList<>();
            Map<Long, byte[]> segments = new ConcurrentHashMap<>();
            Map<Long, Listed> seen = new ConcurrentHashMap<>();
            for (String[] target : new String[][] {{"B", b.url("/hls/demo/stream.m3u8")}, {"C", c.url("/hls/demo/stream.m3u8")},
                    {"B-ll", b.url("/hls/demo/ll.m3u8")}}) {
                pollers.scheduleWithFixedDelay(() -> {
                    try {
                        HttpResponse<byte[]> got = fetch(target[1]);
                        String body = new String(got.body(), StandardCharsets.UTF_8);
                        samples.add(new Sample(target[0], System.nanoTime(), got.statusCode(), body));
                        if (target[0].equals("B") && got.statusCode() == 200) {
                            for (Listed segment : listed(body)) {
                                seen.putIfAbsent(segment.msn(), segment);
                                if (!segments.containsKey(segment.msn())) {
                                    HttpResponse<byte[]> media = fetch(b.url("/hls/demo/" + segment.name()));
                                    if (media.statusCode() == 200) {
                                        segments.put(segment.msn(), media.body());
                                    }
                                }
                            }
                        }
                    } catch (Exception e) {
                        samples.add(new Sample(target[0], System.nanoTime(), -1, e.toString()));
                    }
                }, 0, 250, TimeUnit.MILLISECONDS);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> segments.size() >= 2);
            long lastBefore = seen.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            String llBefore = new String(fetch(c.url("/hls/demo/ll.m3u8")).body(), StandardCharsets.UTF_8);
            long llNext = number(SEQUENCE, llBefore) + listed(llBefore).size() + 1;

            // kill -9 of the origin; the encoder reconnects to B (through the load balancer, as OBS would).
            long killedAt = System.nanoTime();
            a.kill();
            encoder.kill();
            // A blocking reload on the surviving edge C, for a part the dead origin never made: held through the gap.
            var blocked = CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(c.url("/hls/demo/ll.m3u8?_HLS_msn=" + llNext
                    + "&_HLS_part=0"))).timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
            Ffmpeg.Run reconnected = publish(b.rtmp());
            cleanup.add(reconnected);

            // The new origin's segments appear on both surviving nodes, and the boundary leaves the window.
            await().atMost(Duration.ofSeconds(40)).until(() -> seen.values().stream().anyMatch(s -> s.msn() > lastBefore
                    && s.discontinuity()));
            Listed first = seen.values().stream().filter(s -> s.msn() > lastBefore && s.discontinuity()).findFirst().orElseThrow();
            long firstAfterNanos = samples.stream().filter(s -> s.where().equals("B") && s.status() == 200
                    && s.body().contains(first.name())).findFirst().orElseThrow().atNanos();
            await().atMost(Duration.ofSeconds(40)).until(() -> samples.stream().anyMatch(s -> s.where().equals("C")
                    && s.status() == 200 && number(DISCONTINUITY_SEQUENCE, s.body()) > 0)
                    && samples.stream().anyMatch(s -> s.where().equals("B") && number(DISCONTINUITY_SEQUENCE, s.body()) > 0)
                    && samples.stream().anyMatch(s -> s.where().equals("B-ll") && s.status() == 200
                            && s.body().contains("#EXT-X-DISCONTINUITY\n")));
            await().atMost(Duration.ofSeconds(20)).until(() -> segments.containsKey(first.msn()));
            // shutdown, not shutdownNow: the periodic polls stop, and one in flight ends normally rather than
            // interrupted (which would be recorded as a failed request).
            pollers.shutdown();
            assertTrue(pollers.awaitTermination(30, TimeUnit.SECONDS), "the last poll ended");

            // No request failed; the sequence never went back.
            StringBuilder failures = new StringBuilder();
            Map<String, Long> lastMsn = new ConcurrentHashMap<>();
            for (Sample s : samples) {
                if (s.status() != 200) {
                    failures.append(s.where()).append(" +").append(TimeUnit.NANOSECONDS.toMillis(s.atNanos() - killedAt))
                            .append(" ms: ").append(s.status()).append(' ').append(s.body()).append('\n');
                    continue;
                }
                List<Listed> list = listed(s.body());
                long newest = list.get(list.size() - 1).msn();
                Long previous = lastMsn.put(s.where(), newest);
                assertTrue(previous == null || newest >= previous, s.where() + " went back from " + previous + " to " + newest
                        + ":\n" + s.body());
            }
            long requests = samples.size();
            System.out.printf("HLS failover: %d playlist requests on B and C, failed: %s%n", requests,
                    failures.length() == 0 ? "none" : "\n" + failures);
            assertEquals("", failures.toString(), "no 404 and no 5xx throughout the failover");
            HttpResponse<String> held = blocked.get(40, TimeUnit.SECONDS);
            assertEquals(200, held.statusCode(), "blocking reload on C across the failover: " + held.body());


            // The segments on both sides of the boundary decode.
            Listed last = seen.get(first.msn() - 1);
            assertTrue(last != null && segments.containsKey(last.msn()), "the last segment before the boundary was fetched");
            Path before = dir.resolve("before.ts");
            Path after = dir.resolve("after.ts");
            Files.write(before, segments.get(last.msn()));
            Files.write(after, segments.get(first.msn()));
            assertDecodes(before, "the dead origin's last segment");
            assertDecodes(after, "the new origin's first segment");

            long mediaGapMs = first.programDateTime() - (last.programDateTime() + last.durationMs());
            long seenGapMs = TimeUnit.NANOSECONDS.toMillis(firstAfterNanos - killedAt);
            System.out.printf("HLS failover gap: segment %d (dead origin) ended %d ms before segment %d (new origin) began "
                    + "(program date-times); the new segment was listed on B %d ms after kill -9%n", last.msn(), mediaGapMs,
                    first.msn(), seenGapMs);
            assertTrue(seenGapMs < 20_000, "gap " + seenGapMs + " ms");
            assertTrue(Files.readString(b.log()).contains("HLS numbering goes on from another node's"));
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
