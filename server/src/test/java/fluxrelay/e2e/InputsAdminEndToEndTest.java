package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.stream.FeedId;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A room's inputs added, rotated and removed through the admin API, with real encoders, and kept across a restart. */
class InputsAdminEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static Ffmpeg.Run publish(TestServer server, String key) throws Exception {
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        return Ffmpeg.startFfmpeg("-loglevel", "info", "-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f",
                "flv", server.rtmpUrl("live", key));
    }

    /** Whether the room view shows input {@code index} publishing. */
    private static boolean publishing(TestServer server, int index) throws Exception {
        JsonNode inputs = json(Http.get(server.httpUrl("/api/rooms/demo/inputs"))).get("inputs");
        return inputs.size() > index && inputs.get(index).get("publishing").asBoolean();
    }

    @Test
    void anAddedInputTakesAnEncoderIsRotatedAndRemoved(@TempDir Path dir) throws Exception {
        String conf = "relay.admin.rooms-file = \"" + dir.resolve("rooms.json") + "\"";
        try (TestServer server = TestServer.start(conf)) {
            String inputs = server.httpUrl("/api/rooms/demo/inputs");
            assertEquals(400, Http.send("POST", inputs, "{\"id\":\"Cam 2\"}", null).statusCode());
            assertEquals("id", json(Http.send("POST", inputs, "{\"id\":\"program\"}", null)).get("field").asText());
            assertEquals(400, Http.send("POST", inputs, "{\"id\":\"cam2\",\"role\":\"spare\"}", null).statusCode());
            assertEquals(400, Http.send("POST", inputs, "{\"id\":\"cam2\",\"streamName\":\"short\"}", null).statusCode());
            assertEquals(409, Http.send("POST", inputs, "{\"id\":\"cam2\",\"streamName\":\"" + TestServer.KEY + "\"}", null)
                    .statusCode(), "a stream name is bound once");
            assertEquals(409, Http.send("POST", inputs, "{\"id\":\"main\"}", null).statusCode(), "input ids are unique in a room");
            assertEquals(404, Http.send("POST", server.httpUrl("/api/rooms/nowhere/inputs"), "{\"id\":\"cam2\"}", null).statusCode());

            HttpResponse<String> added = Http.send("POST", inputs, "{\"id\":\"cam2\",\"role\":\"backup\"}", null);
            assertEquals(201, added.statusCode(), added.body());
            JsonNode cam2 = json(added).get("inputs").get(1);
            assertEquals("cam2", cam2.get("id").asText());
            String key = cam2.get("streamName").asText();
            assertTrue(key.length() >= 16, "a generated key");
            assertEquals(2, json(Http.get(inputs)).get("inputs").size());

            try (Ffmpeg.Run encoder = publish(server, key)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> publishing(server, 1));
                await().atMost(Duration.ofSeconds(20)).until(() -> server.server().hls() != null
                        && server.server().hls().room(new FeedId("demo", "cam2")).isPresent());

                JsonNode rotated = json(Http.send("POST", inputs + "/cam2/stream-name", null, null));
                String newKey = rotated.get("inputs").get(1).get("streamName").asText();
                assertNotEquals(key, newKey);
                assertEquals(TestServer.KEY, rotated.get("streamName").asText(), "the main input keeps its key");
                assertNotEquals(0, encoder.await(20), "the encoder with the old key was ended");
                assertTrue(encoder.output().contains("stream key was changed"), encoder.output());
                key = newKey;
            }
            try (Ffmpeg.Run old = Ffmpeg.startFfmpeg("-re", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy",
                    "-f", "flv", server.rtmpUrl("live", cam2.get("streamName").asText()))) {
                assertNotEquals(0, old.await(20), "the old key is refused");
            }
            assertEquals(404, Http.send("POST", inputs + "/cam9/stream-name", null, null).statusCode());

            try (Ffmpeg.Run encoder = publish(server, key)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> publishing(server, 1));
                HttpResponse<String> main = Http.send("DELETE", inputs + "/main", null, null);
                assertEquals(409, main.statusCode(), main.body());
                assertTrue(json(main).get("error").asText().contains("main input"), main.body());

                HttpResponse<String> removed = Http.send("DELETE", inputs + "/cam2", null, null);
                assertEquals(200, removed.statusCode(), removed.body());
                assertEquals(1, json(removed).get("inputs").size());
                assertNotEquals(0, encoder.await(20), "the removed input's encoder was ended");
                assertTrue(encoder.output().contains("input was removed"), encoder.output());
                assertFalse(server.server().streams().find(new FeedId("demo", "cam2")).isPresent(), "its hub is gone");
            }
            assertEquals(404, Http.send("DELETE", inputs + "/cam2", null, null).statusCode());
            assertEquals(404, Http.send("POST", inputs + "/cam2/stream-name", null, null).statusCode());
            assertEquals(201, Http.send("POST", inputs, "{\"id\":\"slides\",\"streamName\":\"slides-key-0123456789\"}", null)
                    .statusCode());
        }
        try (TestServer restarted = TestServer.start(conf)) {
            JsonNode inputs = json(Http.get(restarted.httpUrl("/api/rooms/demo/inputs"))).get("inputs");
            assertEquals(2, inputs.size(), "an added input survives a restart");
            assertEquals("slides", inputs.get(1).get("id").asText());
            try (Ffmpeg.Run encoder = publish(restarted, "slides-key-0123456789")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> publishing(restarted, 1));
            }
        }
    }

    @Test
    void removingTheInputOnAirFailsTheProgramOver() throws Exception {
        try (TestServer server = TestServer.start()) {
            String room = server.httpUrl("/api/rooms/demo");
            assertEquals(201, Http.send("POST", room + "/inputs", "{\"id\":\"cam2\",\"streamName\":\"cam2-key-0123456789\"}", null)
                    .statusCode());
            try (Ffmpeg.Run main = publish(server, TestServer.KEY);
                 Ffmpeg.Run cam2 = publish(server, "cam2-key-0123456789")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> publishing(server, 0) && publishing(server, 1));
                HttpResponse<String> switched = Http.send("POST", room + "/program", "{\"input\":\"cam2\"}", null);
                assertTrue(switched.statusCode() == 200 || switched.statusCode() == 202, switched.body());
                await().atMost(Duration.ofSeconds(20)).until(() -> "cam2".equals(json(Http.get(room)).get("program").asText()));

                assertEquals(200, Http.send("DELETE", room + "/inputs/cam2", null, null).statusCode());
                assertNotEquals(0, cam2.await(20));
                await().atMost(Duration.ofSeconds(20)).until(() -> "main".equals(json(Http.get(room)).get("program").asText()));
                assertTrue(main.alive(), "the main input's encoder goes on");
            }
        }
    }
}
