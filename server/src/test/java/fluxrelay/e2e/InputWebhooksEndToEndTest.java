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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs added, rotated and removed through the admin API, and a backup encoder at another resolution than the main
 * one, as a platform ({@code relay.webhooks.on-input-changed}, a local HTTP server here), the room's event log and the
 * metrics see them: in order, named by input, never with a stream name.
 */
class InputWebhooksEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAM2_KEY = "cam2-key-0123456789abcdef";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final List<Ffmpeg.Run> encoders = new ArrayList<>();
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
    void stop() throws Exception {
        for (Ffmpeg.Run run : encoders) {
            run.close();
        }
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

    @Test
    void bindingRotatingAndUnbindingARenditionStreamNameAreToldAsInputsAre() throws Exception {
        String renditions = server.httpUrl("/api/rooms/demo/renditions");
        String key = "demo-180p-key-0123456789";
        HttpResponse<String> added = Http.send("POST", renditions, "{\"id\":\"180p\",\"streamName\":\"" + key + "\"}", null);
        assertEquals(201, added.statusCode(), added.body());
        HttpResponse<String> rotated = Http.send("POST", renditions + "/180p/stream-name", null, null);
        assertEquals(200, rotated.statusCode(), rotated.body());
        String newKey = JSON.readTree(rotated.body()).get("renditionInputs").get(0).get("streamName").asText();
        assertEquals(404, Http.send("DELETE", renditions + "/720p", null, null).statusCode(), "refused: nothing told");
        assertEquals(200, Http.send("DELETE", renditions + "/180p", null, null).statusCode());

        await().atMost(WAIT).until(() -> received.size() >= 3);
        assertEquals(List.of("room.rendition_added 180p", "room.rendition_key_rotated 180p", "room.rendition_removed 180p"),
                received.stream().map(e -> e.path("action").asText() + " " + e.path("rendition").asText()).toList(), bodies.toString());
        JsonNode events = JSON.readTree(Http.get(server.httpUrl("/api/rooms/demo/events")).body()).get("events");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("type").asText() + " " + e.path("detail").path("rendition").asText()));
        assertEquals(List.of("rendition_removed 180p", "rendition_key_rotated 180p", "rendition_added 180p"), types, events.toString());
        String everything = bodies + events.toString();
        for (String secret : List.of(key, newKey)) {
            assertFalse(everything.contains(secret), "no stream name in webhooks or events");
        }
    }

    private Ffmpeg.Run encoder(String size, String key) throws Exception {
        Ffmpeg.Run run = Ffmpeg.startFfmpeg("-v", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=25",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "25", "-pix_fmt", "yuv420p",
                "-f", "flv", server.rtmpUrl("live", key));
        encoders.add(run);
        return run;
    }

    private List<JsonNode> mismatches() {
        return received.stream().filter(e -> e.path("action").asText().equals("room.input_mismatch")).toList();
    }

    @Test
    void aBackupAtAnotherResolutionIsAWarningOnceAndEndsWithIt() throws Exception {
        assertEquals(201, Http.send("POST", server.httpUrl("/api/rooms/demo/inputs"), "{\"id\":\"cam2\",\"role\":\"backup\","
                + "\"streamName\":\"" + CAM2_KEY + "\"}", null).statusCode());
        encoder("320x240", TestServer.KEY);
        Ffmpeg.Run backup = encoder("160x120", CAM2_KEY);
        await().atMost(WAIT).until(() -> mismatches().size() >= 1);
        JsonNode warning = mismatches().get(0);
        assertEquals("cam2", warning.path("input").asText());
        assertEquals("main", warning.path("main").asText());
        assertTrue(warning.path("mismatch").asBoolean(), warning.toString());
        assertEquals("[\"video\"]", warning.path("tracks").toString());
        await().atMost(WAIT).until(() -> Http.get(server.httpUrl("/metrics")).body()
                .contains("fluxrelay_input_mismatch{input=\"cam2\",room=\"demo\"} 1.0"));
        JsonNode cam2 = JSON.readTree(Http.get(server.httpUrl("/api/rooms/demo")).body()).get("inputs").get(1);
        assertTrue(cam2.path("parametersDifferFromMain").asBoolean(), cam2.toString());
        assertEquals("[\"video\"]", cam2.path("differingTracks").toString());

        backup.kill();
        await().atMost(WAIT).until(() -> mismatches().size() >= 2);
        assertFalse(mismatches().get(1).path("mismatch").asBoolean(), "the backup that stopped no longer differs");
        assertEquals(2, mismatches().size(), "told once per change, never per frame: " + mismatches());
        await().atMost(WAIT).until(() -> Http.get(server.httpUrl("/metrics")).body()
                .contains("fluxrelay_input_mismatch{input=\"cam2\",room=\"demo\"} 0.0"));
        JsonNode events = JSON.readTree(Http.get(server.httpUrl("/api/rooms/demo/events")).body()).get("events");
        List<Boolean> logged = new ArrayList<>();
        events.forEach(e -> {
            if (e.path("type").asText().equals("input_mismatch")) {
                logged.add(e.path("detail").path("mismatch").asBoolean());
            }
        });
        assertEquals(List.of(false, true), logged, events.toString());
    }
}
