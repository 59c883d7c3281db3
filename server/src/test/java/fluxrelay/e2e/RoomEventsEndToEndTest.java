package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's recent events through the admin API ({@code GET /api/rooms/{id}/events}) with a real encoder and viewers. */
class RoomEventsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "stage-key-0123456789";

    private static JsonNode events(TestServer server) throws Exception {
        return JSON.readTree(Http.get(server.httpUrl("/api/rooms/stage/events")).body()).get("events");
    }

    private static List<String> types(JsonNode events) {
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        return types;
    }

    @Test
    void publishesGoLiveKeyRotationAndRefusedViewersAreListedNewestFirst() throws Exception {
        try (TestServer server = TestServer.start("relay.bandwidth { required-mbps = 3, policy = warn }\n"
                + "relay.rooms = [ { id = stage, stream-name = \"" + KEY + "\", auto-live = false, bandwidth-policy = enforce } ]")) {
            assertEquals(404, Http.get(server.httpUrl("/api/rooms/nowhere/events")).statusCode());
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    server.rtmpUrl("live", KEY))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().stream("stage", false).snapshot().publishing());
                try (Ffmpeg.Run second = Ffmpeg.startFfmpeg("-re", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                        server.rtmpUrl("live", KEY))) {
                    assertNotEquals(0, second.await(20), "the room's input is taken");
                }
                assertEquals(200, Http.send("POST", server.httpUrl("/api/rooms/stage/live"), null, null).statusCode());
                for (int i = 0; i < 3; i++) {
                    assertEquals(403, Http.get(server.httpUrl("/live/stage.flv")).statusCode(), "no bandwidth token");
                }
                assertEquals(200, Http.send("POST", server.httpUrl("/api/rooms/stage/stream-name"), null, null).statusCode());
                assertNotEquals(0, ffmpeg.await(20), "the old key's encoder is ended");
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> types(events(server)).contains("publish_ended"));
            JsonNode events = events(server);
            List<String> types = types(events);
            assertEquals(6, types.size(), types.toString());
            List<String> oldestFirst = new ArrayList<>(types);
            java.util.Collections.reverse(oldestFirst);
            assertEquals(List.of("publish_started", "publish_refused", "live", "viewer_refused"), oldestFirst.subList(0, 4));
            assertEquals(java.util.Set.of("key_rotated", "publish_ended"), java.util.Set.copyOf(oldestFirst.subList(4, 6)));
            JsonNode started = find(events, "publish_started");
            assertEquals("main", started.get("detail").get("input").asText());
            assertEquals("127.0.0.1", started.get("detail").get("address").asText());
            assertEquals("already_publishing", find(events, "publish_refused").get("detail").get("reason").asText());
            JsonNode refused = find(events, "viewer_refused").get("detail");
            assertEquals("bandwidth_unmeasured", refused.get("reason").asText());
            assertEquals(3, refused.get("count").asInt(), "three refusals, one event");
            assertEquals(-1, events.toString().indexOf(KEY), "no stream key in the events");
        }
    }

    private static JsonNode find(JsonNode events, String type) {
        for (JsonNode event : events) {
            if (event.get("type").asText().equals(type)) {
                return event;
            }
        }
        throw new AssertionError("no " + type + " event in " + events);
    }
}
