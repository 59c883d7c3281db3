package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import fluxrelay.testing.Http;
import fluxrelay.testing.TestServer;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs added, rotated and removed through the admin API as a platform ({@code relay.webhooks.on-input-changed}, a local
 * HTTP server here) and the room's event log see them: in order, named by input, never with a stream name.
 */
class InputWebhooksEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAM2_KEY = "cam2-key-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private HttpServer platform;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        platform = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        platform.createContext("/input_changed", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            bodies.add(body);
            received.add(JSON.readTree(body));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        platform.start();
        server = TestServer.start("relay.webhooks.on-input-changed = \"http://127.0.0.1:%d/input_changed\""
                .formatted(platform.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (platform != null) {
            platform.stop(0);
        }
    }

    @Test
    void addingRotatingAndRemovingAnInputAreToldAndLogged() throws Exception {
        String inputs = server.httpUrl("/api/rooms/demo/inputs");
        HttpResponse<String> added = Http.send("POST", inputs, "{\"id\":\"cam2\",\"role\":\"backup\",\"streamName\":\"" + CAM2_KEY
                + "\"}", null);
        assertEquals(201, added.statusCode(), added.body());
        HttpResponse<String> rotated = Http.send("POST", inputs + "/cam2/stream-name", null, null);
        assertEquals(200, rotated.statusCode(), rotated.body());
        String newKey = JSON.readTree(rotated.body()).get("inputs").get(1).get("streamName").asText();
        assertEquals(409, Http.send("DELETE", inputs + "/main", null, null).statusCode(), "refused: nothing told");
        assertEquals(200, Http.send("DELETE", inputs + "/cam2", null, null).statusCode());

        await().atMost(WAIT).until(() -> received.size() >= 3);
        assertEquals(List.of("room.input_added cam2", "room.input_key_rotated cam2", "room.input_removed cam2"),
                received.stream().map(e -> e.path("action").asText() + " " + e.path("input").asText()).toList(), bodies.toString());
        assertEquals("backup", received.get(0).path("role").asText());
        for (JsonNode event : received) {
            assertEquals("demo", event.path("room").asText());
            assertEquals("live", event.path("app").asText());
            assertTrue(event.hasNonNull("time"), event.toString());
        }

        JsonNode events = JSON.readTree(Http.get(server.httpUrl("/api/rooms/demo/events")).body()).get("events");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("type").asText() + " " + e.path("detail").path("input").asText()));
        assertEquals(List.of("input_removed cam2", "key_rotated cam2", "input_added cam2"), types, events.toString());

        String everything = bodies + events.toString();
        for (String secret : List.of(CAM2_KEY, newKey, TestServer.KEY)) {
            assertFalse(everything.contains(secret), "no stream name in webhooks or events");
        }
    }
}
