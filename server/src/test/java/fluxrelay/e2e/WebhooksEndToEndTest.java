package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** on_publish and the notifications against a real local HTTP server (the JDK's). */
class WebhooksEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer platform;
    private final Map<String, List<JsonNode>> received = new ConcurrentHashMap<>();
    private volatile int publishStatus = 200;
    private volatile String publishBody = "";
    private final AtomicInteger doneFailuresLeft = new AtomicInteger();

    @BeforeEach
    void startPlatform() throws IOException {
        platform = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        for (String hook : List.of("publish", "publish_done", "play", "play_done")) {
            platform.createContext("/" + hook, exchange -> {
                JsonNode event = JSON.readTree(exchange.getRequestBody());
                received.computeIfAbsent(hook, k -> new CopyOnWriteArrayList<>()).add(event);
                int status = 200;
                String body = "";
                if (hook.equals("publish")) {
                    status = publishStatus;
                    body = publishBody;
                } else if (hook.equals("publish_done") && doneFailuresLeft.getAndDecrement() > 0) {
                    status = 500;
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            });
        }
        platform.start();
    }

    @AfterEach
    void stopPlatform() {
        platform.stop(0);
    }

    private String hooks(String onFailure) {
        String base = "http://127.0.0.1:" + platform.getAddress().getPort();
        return "relay.webhooks { on-publish = \"" + base + "/publish\", on-publish-done = \"" + base + "/publish_done\", "
                + "on-play = \"" + base + "/play\", on-play-done = \"" + base + "/play_done\", retry-backoff = 100ms, "
                + "on-failure = " + onFailure + " }";
    }

    private static Ffmpeg.Run publish(TestServer server, String key, boolean loop) throws IOException {
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        return loop
                ? Ffmpeg.startFfmpeg("-loglevel", "info", "-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                        server.rtmpUrl("live", key))
                : Ffmpeg.startFfmpeg("-loglevel", "info", "-i", sample.toString(), "-c", "copy", "-f", "flv", server.rtmpUrl("live", key));
    }

    @Test
    void thePlatformCanRefuseWithAReasonTheEncoderShows() throws Exception {
        publishStatus = 403;
        publishBody = "{\"reason\":\"The event has not started yet.\"}";
        try (TestServer server = TestServer.start(hooks("deny")); Ffmpeg.Run ffmpeg = publish(server, TestServer.KEY, false)) {
            assertNotEquals(0, ffmpeg.await(30));
            assertTrue(ffmpeg.output().contains("The event has not started yet."), ffmpeg.output());
            JsonNode event = received.get("publish").get(0);
            assertEquals(TestServer.KEY, event.get("name").asText());
            assertEquals("live", event.get("app").asText());
            assertEquals("127.0.0.1", event.get("addr").asText());
        }
    }

    @Test
    void thePlatformCanMapAnyStreamNameToARoom() throws Exception {
        publishBody = "{\"room\":\"demo\"}";
        try (TestServer server = TestServer.start(hooks("deny")); Ffmpeg.Run ffmpeg = publish(server, "platform-ticket-42", true)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().stream("demo", true).snapshot().publishing());
        }
    }

    @Test
    void anUnreachablePlatformFollowsTheFailurePolicy() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String down = "relay.webhooks { on-publish = \"http://127.0.0.1:" + closedPort + "/publish\", timeout = 1s, on-failure = ";
        try (TestServer server = TestServer.start(down + "deny }"); Ffmpeg.Run ffmpeg = publish(server, TestServer.KEY, false)) {
            assertNotEquals(0, ffmpeg.await(30));
            assertTrue(ffmpeg.output().contains("unavailable"), ffmpeg.output());
        }
        try (TestServer server = TestServer.start(down + "allow }"); Ffmpeg.Run ffmpeg = publish(server, TestServer.KEY, true)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().stream("demo", true).snapshot().publishing());
        }
    }

    @Test
    void publishAndPlayNotificationsArriveAndAreRetried() throws Exception {
        doneFailuresLeft.set(1);
        try (TestServer server = TestServer.start(hooks("deny"))) {
            try (RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
                viewer.play("demo");
                await().atMost(Duration.ofSeconds(10)).until(() -> received.containsKey("play"));
                try (Ffmpeg.Run ffmpeg = publish(server, TestServer.KEY, false)) {
                    assertEquals(0, ffmpeg.await(60), ffmpeg.output());
                }
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> received.containsKey("play_done")
                    && received.getOrDefault("publish_done", List.of()).size() == 2);
            JsonNode done = received.get("publish_done").get(1);
            assertEquals("demo", done.get("room").asText());
            assertTrue(done.get("bytes").asLong() > 1_000_000, done.toString());
            assertEquals("rtmp", received.get("play").get(0).get("protocol").asText());
        }
    }
}
