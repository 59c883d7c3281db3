package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** /metrics after a real publish, viewers, a refused key and a broken handshake; checked by promtool where installed. */
class MetricsEndToEndTest {

    static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.eE+-]+)$").matcher(exposition);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    @Test
    void metricsReflectPublishersViewersAndFailures() throws Exception {
        try (TestServer server = TestServer.start()) {
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    server.rtmpUrl("live", TestServer.KEY));
                 RtmpTestClient rtmpViewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live");
                 HttpFlvTestClient flvViewer = new HttpFlvTestClient(server.httpUrl("/live/demo.flv"))) {
                rtmpViewer.play("demo");
                await().atMost(Duration.ofSeconds(20)).until(() -> flvViewer.media().size() > 60 && rtmpViewer.received().size() > 60);
                // A viewer joining the live room is timed to its first keyframe (the early ones may have waited for it).
                try (RtmpTestClient late = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
                    late.play("demo");
                    await().atMost(Duration.ofSeconds(10)).until(() -> late.received().size() > 10);
                }
                try (Ffmpeg.Run refused = Ffmpeg.startFfmpeg("-i", sample.toString(), "-c", "copy", "-f", "flv",
                        server.rtmpUrl("live", "wrong-key"))) {
                    refused.await(30);
                }
                try (Socket garbage = new Socket("127.0.0.1", server.rtmpPort())) {
                    OutputStream out = garbage.getOutputStream();
                    out.write("GET / HTTP/1.1\r\n\r\n".getBytes());
                    out.flush();
                    garbage.getInputStream().read();
                }
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                    String text = Http.get(server.httpUrl("/metrics")).body();
                    assertEquals(1.0, value(text, "fluxrelay_viewers{protocol=\"rtmp\",room=\"demo\"}"), text);
                    assertEquals(1.0, value(text, "fluxrelay_viewers{protocol=\"http-flv\",room=\"demo\"}"));
                    assertEquals(1.0, value(text, "fluxrelay_publishers"));
                    assertEquals(1.0, value(text, "fluxrelay_room_publishing{room=\"demo\"}"));
                    assertTrue(value(text, "fluxrelay_ingest_bytes_total{kind=\"video\",room=\"demo\"}") > 100_000);
                    assertTrue(value(text, "fluxrelay_ingest_frames_total{kind=\"audio\",room=\"demo\"}") > 10);
                    assertTrue(value(text, "fluxrelay_ingest_bytes_per_second{kind=\"video\",room=\"demo\"}") > 60_000);
                    assertTrue(value(text, "fluxrelay_egress_bytes_total{protocol=\"http-flv\"}") > 100_000);
                    double timed = value(text, "fluxrelay_viewer_first_frame_seconds_count{protocol=\"rtmp\"}");
                    assertTrue(timed >= 1, text);
                    assertEquals(timed, value(text, "fluxrelay_viewer_first_frame_seconds_bucket{protocol=\"rtmp\",le=\"5.0\"}"),
                            "every timed viewer had its first picture within 5 s: " + text);
                    assertEquals(1.0, value(text, "fluxrelay_publish_refusals_total{reason=\"unknown_stream_name\"}"));
                    assertEquals(1.0, value(text, "fluxrelay_rtmp_handshake_failures_total{reason=\"http_request\"}"));
                    assertTrue(value(text, "fluxrelay_connections{protocol=\"rtmp\"}") >= 2);
                    assertTrue(value(text, "fluxrelay_gop_cache_bytes{room=\"demo\"}") > 0);
                    assertTrue(text.contains("jvm_memory_used_bytes"));
                    assertTrue(text.contains("netty_eventexecutor_tasks_pending"));
                });
                HttpResponse<String> response = Http.get(server.httpUrl("/metrics"));
                assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
                promtoolCheck(response.body());
            }
        }
    }

    @Test
    void bandwidthSeriesCountProbesVerdictsRefusalsAndViewersByState() throws Exception {
        try (TestServer server = TestServer.start("relay.bandwidth { required-mbps = 3, policy = warn }\n"
                + "relay.rooms = [ { id = strict, stream-name = \"strict-key-0123456789\", bandwidth-policy = enforce } ]")) {
            HttpResponse<String> probe = Http.get(server.httpUrl("/bwcheck/demo"));
            assertEquals(200, probe.statusCode());
            String result = Http.get(server.httpUrl(probe.headers().firstValue("x-bandwidth-result").orElseThrow())).body();
            assertTrue(result.contains("\"verdict\":\"ok\""), result);
            assertEquals(403, Http.get(server.httpUrl("/live/strict.flv")).statusCode());
            String text = Http.get(server.httpUrl("/metrics")).body();
            assertEquals(1.0, value(text, "fluxrelay_bandwidth_probes_total{room=\"demo\"}"), text);
            assertEquals(1.0, value(text, "fluxrelay_bandwidth_verdicts_total{outcome=\"ok\",room=\"demo\",source=\"http-probe\"}"));
            assertEquals(0.0, value(text, "fluxrelay_bandwidth_verdicts_total{outcome=\"below\",room=\"demo\",source=\"http-probe\"}"));
            assertEquals(0.0, value(text, "fluxrelay_bandwidth_verdicts_total{outcome=\"ok\",room=\"demo\",source=\"playback\"}"));
            assertEquals(0.0, value(text, "fluxrelay_bandwidth_detections_total{room=\"demo\"}"));
            assertEquals(1.0, value(text, "fluxrelay_bandwidth_refusals_total{room=\"strict\"}"));
            assertEquals(0.0, value(text, "fluxrelay_bandwidth_refusals_total{room=\"demo\"}"));
            assertEquals(0.0, value(text, "fluxrelay_bandwidth_disconnections_total{room=\"strict\"}"));
            assertEquals(0.0, value(text, "fluxrelay_bandwidth_flagged_total{room=\"demo\"}"));
            for (String state : new String[] {"measuring", "ok", "below"}) {
                assertEquals(0.0, value(text, "fluxrelay_bandwidth_viewers{room=\"demo\",state=\"" + state + "\"}"), state);
            }
            promtoolCheck(text);
        }
    }

    /** Runs {@code promtool check metrics} on the exposition when promtool is installed (CI installs it). */
    static void promtoolCheck(String exposition) throws Exception {
        Path promtool = Requirements.tool("promtool", "apt-get install prometheus");
        Process process = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(exposition.getBytes());
        }
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.exitValue(), output);
    }
}
