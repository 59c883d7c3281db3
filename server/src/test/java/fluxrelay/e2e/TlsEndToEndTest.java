package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HubRecorder;
import fluxrelay.testing.Requirements;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RTMPS ingest from ffmpeg and HTTPS for HTTP-FLV and health, with a self-signed certificate made by openssl. */
class TlsEndToEndTest {

    @Test
    void rtmpsIngestAndHttpsPlaybackWork(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path opensslTool = Requirements.tool("openssl", "apt-get install openssl");
        Process openssl = new ProcessBuilder(opensslTool.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), Files.readString(dir.resolve("openssl.log")));

        try (TestServer server = TestServer.start("relay.tls { certificate = \"" + cert + "\", private-key = \"" + key
                + "\", rtmps-port = 0, https-port = 0 }")) {
            int rtmps = server.server().rtmpsPort();
            int https = server.server().httpsPort();
            HubRecorder recorder = new HubRecorder();
            server.server().streams().stream("demo", true).subscribe(recorder);
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    "rtmps://127.0.0.1:" + rtmps + "/live/" + TestServer.KEY)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> recorder.media().size() > 60);

                HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).build();
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + https + "/health/ready"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ready.statusCode());

                try (Ffmpeg.Run player = Ffmpeg.startFfmpeg("-v", "info", "-tls_verify", "0", "-i",
                        "https://127.0.0.1:" + https + "/live/demo.flv", "-t", "2", "-f", "null", "-")) {
                    assertEquals(0, player.await(40), player.output());
                    assertTrue(player.output().matches("(?s).*frame=\\s*[1-9]\\d+.*"), player.output());
                }
            }
        }
    }

    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
