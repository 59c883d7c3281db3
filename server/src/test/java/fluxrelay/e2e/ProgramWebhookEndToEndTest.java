package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code room.program_changed} as a platform receives it: a local HTTP server stands for the platform, two ffmpeg
 * encoders feed a room whose own failover-after is 1 s, and the program is switched by hand and then fails over when
 * the main encoder is killed.
 */
class ProgramWebhookEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIN_KEY = "main-key-0123456789abcdef";
    private static final String BACKUP_KEY = "backup-key-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<Ffmpeg.Run> processes = new ArrayList<>();
    private HttpServer platform;
    private TestServer server;

    @AfterEach
    void stop() throws Exception {
        for (Ffmpeg.Run run : processes) {
            run.close();
        }
        if (server != null) {
            server.close();
        }
        if (platform != null) {
            platform.stop(0);
        }
    }

    private Ffmpeg.Run encoder(String key) throws Exception {
        Ffmpeg.Run run = Ffmpeg.startFfmpeg("-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                "-f", "flv", server.rtmpUrl("live", key));
        processes.add(run);
        return run;
    }

    private JsonNode room() throws Exception {
        return JSON.readTree(Http.send("GET", server.httpUrl("/api/rooms/show"), null, null).body());
    }

    @Test
    void thePlatformIsToldOfManualSwitchesAndOfAFailover() throws Exception {
        platform = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        platform.createContext("/program_changed", exchange -> {
            received.add(JSON.readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        platform.start();
        server = TestServer.start("""
                relay.webhooks.on-program-changed = "http://127.0.0.1:%d/program_changed"
                relay.rooms = [ { id = show, failover-after = 1s, failback = manual, inputs = [
                  { id = main, stream-name = "%s" },
                  { id = backup, stream-name = "%s", role = backup } ] } ]
                """.formatted(platform.getAddress().getPort(), MAIN_KEY, BACKUP_KEY));
        Ffmpeg.Run main = encoder(MAIN_KEY);
        await().atMost(WAIT).until(() -> room().path("program").asText().equals("main"));
        encoder(BACKUP_KEY);
        await().atMost(WAIT).until(() -> room().path("inputs").get(1).path("publishing").asBoolean());
        assertTrue(received.isEmpty(), "the program going on air at the start is no switch: " + received);

        for (String input : List.of("backup", "main")) {
            HttpResponse<String> switched = Http.send("POST", server.httpUrl("/api/rooms/show/program"),
                    "{\"input\": \"" + input + "\"}", null);
            assertEquals(200, switched.statusCode(), switched.body());
        }
        await().atMost(WAIT).until(() -> received.size() >= 2);
        main.kill();
        await().atMost(WAIT).until(() -> received.size() >= 3);

        assertEquals(List.of("main>backup manual", "backup>main manual", "main>backup failover"),
                received.stream().map(e -> e.path("from").asText() + ">" + e.path("input").asText() + " " + e.path("reason").asText())
                        .toList(), received.toString());
        for (JsonNode event : received) {
            assertEquals("room.program_changed", event.path("action").asText());
            assertEquals("show", event.path("room").asText());
            assertEquals("live", event.path("app").asText());
            assertFalse(event.path("parameters_changed").asBoolean(), "two encoders with the same settings: " + event);
            assertFalse(event.toString().contains(MAIN_KEY) || event.toString().contains(BACKUP_KEY), "no stream name: " + event);
            assertTrue(event.hasNonNull("time"), event.toString());
        }
    }
}
