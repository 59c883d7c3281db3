package fluxrelay.cluster;

import fluxrelay.testing.RedisServer;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.testing.ClusterNode;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two relay processes sharing one real redis-server and one secret: an encoder publishes to node A; viewers on node
 * B (our RTMP client, HTTP-FLV, ffprobe, rtmpdump) are served by one pull from A; a second encoder on B is refused as
 * on one node; a forged internal pull is refused; {@code kill -9} of A while the encoder moves to B: B takes the
 * room once A's lease expires and its viewers, still connected, resume.
 */
class OriginPullEndToEndTest {

    private static final String KEY = "cluster-key-0123456789";
    private static final String SECRET = "cluster-e2e-secret-0123456789-abcdefgh";

    private static ClusterNode node(Path dir, String id, RedisServer redis) throws Exception {
        return ClusterNode.configure(dir, id, redis, SECRET,
                "relay.hls.enabled = false\nrelay.cluster { lease-ttl = 5s, pull-idle-timeout = 3s }");
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }

    private static String cluster(String metrics) {
        return metrics.lines().filter(l -> l.contains("cluster")).reduce("", (x, y) -> x + "\n" + y);
    }

    private static Ffmpeg.Run publish(int rtmpPort) throws Exception {
        return Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy",
                "-f", "flv", "rtmp://127.0.0.1:" + rtmpPort + "/live/" + KEY);
    }

    @Test
    void anEdgeServesViewersFromOnePullRefusesIntrudersAndTakesTheRoomWhenTheOriginDies(@TempDir Path dir) throws Exception {
        List<AutoCloseable> cleanup = new ArrayList<>();
        try (RedisServer redis = RedisServer.start(dir.resolve("redis"))) {
            ClusterNode a = node(dir, "node-a", redis);
            ClusterNode b = node(dir, "node-b", redis);
            cleanup.add(a::kill);
            a.start();
            cleanup.add(b);
            b.start();

            // Rooms live in Redis in a cluster: the room is created once, on A, and B learns it from the store.
            assertEquals(201, fluxrelay.testing.Http.send("POST", "http://127.0.0.1:" + a.http() + "/api/rooms",
                    "{\"id\":\"demo\",\"streamName\":\"" + KEY + "\"}", null).statusCode());
            await().atMost(Duration.ofSeconds(5)).until(() -> fluxrelay.testing.Http.get("http://127.0.0.1:" + b.http()
                    + "/api/rooms/demo").statusCode() == 200);
            Ffmpeg.Run encoder = publish(a.rtmp());
            cleanup.add(encoder);
            await().atMost(Duration.ofSeconds(20)).until(() -> metric(a.metrics(), "fluxrelay_cluster_lease_renewals_total") >= 1);

            // Viewers on B: our RTMP client and an HTTP-FLV client at once, then ffprobe and rtmpdump.
            RtmpTestClient rtmpViewer = RtmpTestClient.connect("127.0.0.1", b.rtmp(), "live");
            cleanup.add(rtmpViewer);
            rtmpViewer.play("demo");
            HttpFlvTestClient flvViewer = new HttpFlvTestClient("http://127.0.0.1:" + b.http() + "/live/demo.flv");
            cleanup.add(flvViewer);
            await().atMost(Duration.ofSeconds(15)).until(() -> rtmpViewer.received().stream().anyMatch(r -> r.keyframe())
                    && flvViewer.media().stream().anyMatch(HttpFlvTestClient.Tag::keyframe));
            String metricsB = b.metrics();
            assertEquals(1.0, metric(metricsB, "fluxrelay_cluster_pulls_open"), "one pull for two viewers: " + cluster(metricsB));
            assertEquals(1.0, metric(metricsB, "fluxrelay_cluster_pulls_started_total"), metricsB);
            assertTrue(metric(metricsB, "fluxrelay_cluster_pull_first_keyframe_seconds_count") >= 1);

            try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-rw_timeout", "15000000", "-show_entries",
                    "stream=codec_name", "-of", "csv=p=0", "rtmp://127.0.0.1:" + b.rtmp() + "/live/demo")) {
                assertEquals(0, probe.await(30), probe.output());
                assertTrue(probe.output().contains("h264") && probe.output().contains("aac"), probe.output());
            }
            if (Files.isExecutable(Path.of("/usr/bin/rtmpdump"))) {
                Path dump = dir.resolve("dump.flv");
                Process rtmpdump = new ProcessBuilder("rtmpdump", "-q", "--live", "-B", "2", "-r",
                        "rtmp://127.0.0.1:" + b.rtmp() + "/live/demo", "-o", dump.toString()).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("rtmpdump.log").toFile()).start();
                cleanup.add(rtmpdump::destroyForcibly);
                await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(dump) && Files.size(dump) > 100_000);
                rtmpdump.destroy();
            }
            assertEquals(1.0, metric(b.metrics(), "fluxrelay_cluster_pulls_started_total"), "still one pull");

            // A second encoder for the room on B is refused as on one node.
            try (RtmpTestClient intruder = RtmpTestClient.connect("127.0.0.1", b.rtmp(), "live")) {
                intruder.publish(KEY);
                CommandMessage refused = intruder.awaitStatus(StatusCodes.PUBLISH_BAD_NAME, Duration.ofSeconds(15));
                assertTrue(refused.toString().contains("Already publishing"), refused.toString());
            }

            // A pull signed with another secret is refused by the origin.
            try (RtmpTestClient forged = RtmpTestClient.connect("127.0.0.1", a.rtmp(), "_cluster")) {
                long exp = Instant.now().plusSeconds(30).getEpochSecond();
                forged.play("pull?node=node-b&room=demo&feed=main&exp=" + exp + "&sig=" + "ab".repeat(32));
                forged.awaitStatus(StatusCodes.PLAY_FAILED, Duration.ofSeconds(10));
                forged.sync();
                assertTrue(forged.received().isEmpty(), "no media without the secret");
            }
            assertTrue(Files.readString(dir.resolve("node-a.log")).contains("internal pull refused: bad signature"));

            // kill -9 of the origin; the encoder reconnects to B, which takes the room once A's lease has expired.
            int before = rtmpViewer.received().size();
            long lastBefore = rtmpViewer.received().get(before - 1).receivedNanos();
            a.kill();
            assertTrue(!a.process().isAlive(), "node A is gone");
            encoder.kill();
            Ffmpeg.Run reconnected = publish(b.rtmp());
            cleanup.add(reconnected);
            await().atMost(Duration.ofSeconds(30)).until(() -> rtmpViewer.received().stream().skip(before)
                    .anyMatch(r -> r.keyframe() && r.receivedNanos() > lastBefore));
            long resumed = rtmpViewer.received().stream().skip(before).filter(r -> r.keyframe() && r.receivedNanos() > lastBefore)
                    .findFirst().orElseThrow().receivedNanos();
            long gapMillis = TimeUnit.NANOSECONDS.toMillis(resumed - lastBefore);
            System.out.printf("cluster failover: kill -9 of the origin, encoder restarted on the edge: RTMP viewer on the edge "
                    + "stayed connected and resumed after %d ms%n", gapMillis);
            assertTrue(rtmpViewer.isOpen(), "the viewer on B stayed connected");
            assertTrue(gapMillis < 15_000, "gap " + gapMillis + " ms");
            int flvBefore = flvViewer.media().size();
            await().atMost(Duration.ofSeconds(10)).until(() -> flvViewer.media().size() > flvBefore + 30);
            // B is the origin now: its pull ended, and it renews the room's lease.
            await().atMost(Duration.ofSeconds(10)).until(() -> metric(b.metrics(), "fluxrelay_cluster_lease_renewals_total") >= 1);
            assertEquals(0.0, metric(b.metrics(), "fluxrelay_cluster_pulls_open"), cluster(b.metrics()));
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
