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

    /** A self-signed certificate and key for localhost and 127.0.0.1, made by openssl; skips the test without it. */
    private static Path[] certificate(Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Path opensslTool = Requirements.tool("openssl", "apt-get install openssl");
        Process openssl = new ProcessBuilder(opensslTool.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertTrue(openssl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), Files.readString(dir.resolve("openssl.log")));
        return new Path[] {cert, key};
    }

    @Test
    void rtmpsIngestAndHttpsPlaybackWork(@TempDir Path dir) throws Exception {
        Path[] pem = certificate(dir);
        Path cert = pem[0];
        Path key = pem[1];

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

    /**
     * A TLS 1.2 client asking to renegotiate (openssl s_client's {@code R} command) is refused: the connection ends
     * instead of the server doing a second full handshake and then answering the request that follows.
     */
    @Test
    void clientInitiatedRenegotiationIsRefused(@TempDir Path dir) throws Exception {
        Path[] pem = certificate(dir);
        try (TestServer server = TestServer.start("relay.tls { certificate = \"" + pem[0] + "\", private-key = \"" + pem[1]
                + "\", rtmps-port = 0, https-port = 0 }")) {
            Process client = new ProcessBuilder(Requirements.tool("openssl", "apt-get install openssl").toString(), "s_client", "-connect", "127.0.0.1:" + server.server().httpsPort(),
                    "-tls1_2", "-crlf").redirectErrorStream(true).start();
            StringBuffer output = new StringBuffer();
            Thread reader = new Thread(() -> {
                try {
                    client.getInputStream().transferTo(new java.io.OutputStream() {
                        @Override
                        public void write(int b) {
                            output.append((char) b);
                        }
                    });
                } catch (java.io.IOException ended) {
                    // the process is gone
                }
            });
            reader.start();
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> output.toString().contains("Verify return code")
                        || !client.isAlive());
                assertTrue(output.toString().contains("TLSv1.2"), output.toString());
                java.io.OutputStream stdin = client.getOutputStream();
                stdin.write("R\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // s_client drops the rest of the line's read
                stdin.flush();
                // Allowed, the renegotiation verifies the certificate again; refused, the connection and s_client end.
                await().atMost(Duration.ofSeconds(20)).until(() -> !client.isAlive() || output.toString().contains("RENEGOTIATING")
                        && output.substring(output.indexOf("RENEGOTIATING")).contains("verify return:1"));
                assertTrue(output.toString().contains("RENEGOTIATING"), output.toString());
                if (client.isAlive()) {
                    stdin.write("GET /health/live HTTP/1.1\nHost: 127.0.0.1\n\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    stdin.flush();
                    await().atMost(Duration.ofSeconds(20)).until(() -> output.toString().contains("\"status\":\"live\"")
                            || !client.isAlive());
                }
                assertTrue(!output.toString().contains("\"status\":\"live\""), "renegotiated and answered: " + output);
            } finally {
                client.destroy();
                client.waitFor(10, TimeUnit.SECONDS);
                reader.join(10_000);
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
