package fluxrelay.loadtest.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fluxrelay.RelayServer;
import fluxrelay.config.ConfigLoader;
import fluxrelay.loadtest.metrics.StepResult;
import fluxrelay.loadtest.metrics.ViewerKind;
import fluxrelay.loadtest.rtmp.RtmpUrl;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load generator against the real server on loopback: one publisher, a few RTMP and HTTP-FLV viewers, a few seconds. */
class LoadRunSmokeTest {

    private static final String KEY = "smoke-key-0123456789";

    @Test
    void publisherAndViewersRunAStepAgainstTheRealServer() throws Exception {
        String hocon = "relay.rtmp { host = 127.0.0.1, port = 0 }\nrelay.http { host = 127.0.0.1, port = 0 }\n"
                + "relay.demo-room { id = smoke, app = live, stream-name = \"" + KEY + "\" }\n";
        RelayServer server = new RelayServer(new ConfigLoader().from(ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.defaultReference()).resolve()));
        server.start();
        try {
            int rtmp = server.rtmpPort();
            LoadPlan plan = new LoadPlan(Path.of("src/test/resources/media/small-180p.flv"),
                    List.of(RtmpUrl.parse("rtmp://127.0.0.1:" + rtmp + "/live/" + KEY)), true,
                    List.of(RtmpUrl.parse("rtmp://127.0.0.1:" + rtmp + "/live/smoke")),
                    List.of(URI.create("http://127.0.0.1:" + server.httpPort() + "/live/smoke.flv")), List.of(), List.of(), false,
                    List.of(new LoadPlan.Step(3, 2, 0)), ViewerKind.RTMP, 100, Duration.ofSeconds(2), Duration.ofSeconds(3),
                    Duration.ofSeconds(1), Duration.ofSeconds(1), 0.95, 0.5, ProcessHandle.current().pid(), 0, "smoke", 1,
                    Duration.ofSeconds(10), 2, Duration.ofSeconds(1), 2,
                    new LoadPlan.Probes(List.of(RtmpUrl.parse("rtmp://127.0.0.1:" + rtmp + "/live/smoke"),
                            RtmpUrl.parse("rtmp://127.0.0.1:" + rtmp + "/live/nosuchroom")), 3, Duration.ofMillis(200)), null, null);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            List<StepResult> results = new LoadRun(plan, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
            String output = log.toString(StandardCharsets.UTF_8);

            assertEquals(2, results.size(), output);
            StepResult viaRtmp = results.get(0);
            StepResult viaFlv = results.get(1);
            assertEquals(ViewerKind.RTMP, viaRtmp.kind());
            assertEquals(ViewerKind.HTTP_FLV, viaFlv.kind());
            for (StepResult r : results) {
                assertEquals(r.viewers(), r.playing(), output);
                assertEquals(0, r.failed(), output);
                assertTrue(r.latency().count() > 0, "stamped frames were relayed and measured: " + output);
                assertTrue(r.timeToFirstFrame().count() == r.viewers(), output);
                assertTrue(r.receivedShareMedian() > 0.5, output);
                assertTrue(r.streamKbps() > 100, output);
            }
            assertTrue(viaRtmp.serverRssMiB() > 10, "the probe read this JVM's RSS");
            assertTrue(viaRtmp.serverCoreBusy() >= 0 && viaRtmp.serverCoreBusy() <= 1, "core 0 busy share: " + viaRtmp.serverCoreBusy());
            assertTrue(output.contains("warm-up done (join 1 of 2): 2 viewers closed")
                    && output.contains("warm-up done (join 2 of 2): 2 viewers closed"), "the warm-up viewers joined twice: " + output);
            assertTrue(output.matches("(?s).*PROBE 1/3 rtmp://127\\.0\\.0\\.1:\\d+/live/smoke: first keyframe after \\d+\\.\\d ms\n.*"), output);
            assertTrue(output.contains("PROBE 2/3 rtmp://127.0.0.1:" + rtmp + "/live/nosuchroom: no keyframe ("), "a failed probe says why: " + output);
            assertTrue(output.contains("PROBE 3/3 rtmp://127.0.0.1:" + rtmp + "/live/smoke: first keyframe after"), "probes take the URLs in turn: " + output);
            assertTrue(output.contains("PROBES 2 of 3 with a keyframe"), output);
            assertTrue(output.contains("[smoke step 1/1 measure] rtmp 3/3 playing 0 failed"), "warm-up viewers count nowhere: " + output);
        } finally {
            server.close();
        }
    }

    @Test
    void aStepWithoutViewersGivesTheServersFiguresWithItsPublishersAlone() throws Exception {
        String hocon = "relay.rtmp { host = 127.0.0.1, port = 0 }\nrelay.http { host = 127.0.0.1, port = 0 }\n"
                + "relay.demo-room { id = smoke, app = live, stream-name = \"" + KEY + "\" }\n";
        RelayServer server = new RelayServer(new ConfigLoader().from(ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.defaultReference()).resolve()));
        server.start();
        try {
            int rtmp = server.rtmpPort();
            LoadPlan plan = new LoadPlan(Path.of("src/test/resources/media/small-180p.flv"),
                    List.of(RtmpUrl.parse("rtmp://127.0.0.1:" + rtmp + "/live/" + KEY)), true,
                    List.of(RtmpUrl.parse("rtmp://127.0.0.1:" + rtmp + "/live/smoke")), List.of(), List.of(),
                    List.of(new LoadPlan.Step(0, 0, 0), new LoadPlan.Step(2, 0, 0)), ViewerKind.RTMP, 100, Duration.ofSeconds(1),
                    Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(1), 0.95, 0.5, ProcessHandle.current().pid(), -1,
                    "smoke", 1, Duration.ofSeconds(10), 0, Duration.ofSeconds(1), LoadPlan.Probes.NONE, null, null);
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            List<StepResult> results = new LoadRun(plan, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
            String output = log.toString(StandardCharsets.UTF_8);

            assertEquals(2, results.size(), "the empty step did not stop the ladder: " + output);
            StepResult idle = results.get(0);
            assertEquals(ViewerKind.RTMP, idle.kind());
            assertEquals(0, idle.viewers());
            assertTrue(idle.serverCpu() > 0 && idle.serverRssMiB() > 10, "the server was measured with no viewer: " + output);
            assertTrue(Double.isNaN(idle.rssPerViewerKiB()), "no RSS per viewer without viewers: " + output);
            assertEquals(2, results.get(1).playing(), output);
        } finally {
            server.close();
        }
    }
}
