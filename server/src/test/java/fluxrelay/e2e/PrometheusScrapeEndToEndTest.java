package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Prometheus (Debian's package) scrapes the server: the target is up and a query finds the live room. */
class PrometheusScrapeEndToEndTest {

    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void prometheusScrapesTheServerAndSeesTheLiveRoom(@TempDir Path dir) throws Exception {
        Requirements.require(Files.isExecutable(PROMETHEUS), PROMETHEUS + " is not installed (apt-get install prometheus)");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (TestServer server = TestServer.start()) {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: fluxrelay\n"
                    + "    static_configs:\n      - targets: ['127.0.0.1:" + server.httpPort() + "']\n");
            Process prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    server.rtmpUrl("live", TestServer.KEY))) {
                String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> {
                    JsonNode up = JSON.readTree(Http.get(api + enc("up{job=\"fluxrelay\"}")).body());
                    assertTrue(up.at("/data/result/0/value/1").asText().equals("1"), up.toString());
                    JsonNode ingest = JSON.readTree(Http.get(api + enc("rate(fluxrelay_ingest_bytes_total{kind=\"video\"}[5s])")).body());
                    assertTrue(ingest.at("/data/result/0/metric/room").asText().equals("demo"), ingest.toString());
                    assertTrue(ingest.at("/data/result/0/value/1").asDouble() > 10_000, ingest.toString());
                });
            } finally {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                }
            }
        }
    }

    private static String enc(String query) {
        return URLEncoder.encode(query, StandardCharsets.UTF_8);
    }
}
