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

/**
 * A room's rendition stream names and ladder set through the admin API: a rendition bound at runtime takes an encoder at
 * once and is listed in the room's multivariant playlist, is rotated and removed (its encoder ended), and what was set
 * is kept in the rooms file across a restart; a ladder set on a live room starts making its rendition.
 */
class RenditionsAdminEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MAIN_KEY = "abr-main-0123456789";
    private static final String LOW_KEY = "abr-low-0123456789";
    private static final String HLS = "relay.hls { target-duration = 1s, playlist-max-age = 0s }\n";

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static Ffmpeg.Run publish(TestServer server, String key) throws Exception {
        Path sample = SampleMedia.file(SampleMedia.AV_720P);
        return Ffmpeg.startFfmpeg("-loglevel", "info", "-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f",
                "flv", server.rtmpUrl("live", key));
    }

    private static boolean renditionPublishing(TestServer server) throws Exception {
        JsonNode bound = json(Http.get(server.httpUrl("/api/rooms/abr/renditions"))).get("renditions");
        return bound.size() == 1 && bound.get(0).get("publishing").asBoolean();
    }

    private static String multivariant(TestServer server) throws Exception {
        HttpResponse<String> index = Http.get(server.httpUrl("/hls/abr/index.m3u8"));
        return index.statusCode() == 200 ? index.body() : "";
    }

    @Test
    void aRenditionBoundThroughTheApiPublishesIsRotatedRemovedAndKept(@TempDir Path dir) throws Exception {
        String conf = HLS + "relay.admin.rooms-file = \"" + dir.resolve("rooms.json") + "\"";
        try (TestServer server = TestServer.start(conf)) {
            String rooms = server.httpUrl("/api/rooms");
            HttpResponse<String> created = Http.send("POST", rooms, "{\"id\":\"abr\",\"streamName\":\"" + MAIN_KEY + "\","
                    + "\"renditions\":[{\"id\":\"180p\",\"streamName\":\"" + LOW_KEY + "\"}]}", null);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode bound = json(created).get("renditionInputs");
            assertEquals("180p", bound.get(0).get("id").asText());
            assertEquals(LOW_KEY, bound.get(0).get("streamName").asText(), "shown as an input's stream name is");

            String renditions = rooms + "/abr/renditions";
            assertEquals("id", json(Http.send("POST", renditions, "{\"id\":\"480P\"}", null)).get("field").asText());
            assertEquals(400, Http.send("POST", renditions, "{\"id\":\"program\"}", null).statusCode());
            assertEquals(400, Http.send("POST", renditions, "{\"id\":\"480p\",\"streamName\":\"short\"}", null).statusCode());
            assertEquals(409, Http.send("POST", renditions, "{\"id\":\"480p\",\"streamName\":\"" + TestServer.KEY + "\"}", null)
                    .statusCode(), "another room's input has this stream name");
            assertEquals(409, Http.send("POST", renditions, "{\"id\":\"480p\",\"streamName\":\"" + MAIN_KEY + "\"}", null)
                    .statusCode(), "the room's own input has this stream name");
            assertEquals(409, Http.send("POST", renditions, "{\"id\":\"180p\"}", null).statusCode(), "rendition ids are unique");
            assertEquals(404, Http.send("POST", rooms + "/nowhere/renditions", "{\"id\":\"480p\"}", null).statusCode());
            assertEquals(409, Http.send("POST", server.httpUrl("/api/rooms/demo/inputs"),
                    "{\"id\":\"cam2\",\"streamName\":\"" + LOW_KEY + "\"}", null).statusCode(), "a rendition's key is bound once");

            String key;
            try (Ffmpeg.Run program = publish(server, MAIN_KEY)) {
                try (Ffmpeg.Run low = publish(server, LOW_KEY)) {
                    await().atMost(Duration.ofSeconds(30)).failFast(() -> !low.alive()).until(() -> renditionPublishing(server));
                    await().atMost(Duration.ofSeconds(30)).failFast(() -> !program.alive() || !low.alive())
                            .until(() -> multivariant(server), text -> text.contains("r/180p/stream.m3u8"));

                    JsonNode rotated = json(Http.send("POST", renditions + "/180p/stream-name", null, null));
                    key = rotated.get("renditionInputs").get(0).get("streamName").asText();
                    assertNotEquals(LOW_KEY, key);
                    assertEquals(MAIN_KEY, rotated.get("streamName").asText(), "the main input keeps its key");
                    assertNotEquals(0, low.await(20), "the encoder with the old key was ended");
                    assertTrue(low.output().contains("stream key was changed"), low.output());
                }
                try (Ffmpeg.Run old = Ffmpeg.startFfmpeg("-re", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy",
                        "-f", "flv", server.rtmpUrl("live", LOW_KEY))) {
                    assertNotEquals(0, old.await(20), "the old key is refused");
                }
                assertEquals(404, Http.send("POST", renditions + "/720p/stream-name", null, null).statusCode());

                try (Ffmpeg.Run low = publish(server, key)) {
                    await().atMost(Duration.ofSeconds(30)).failFast(() -> !low.alive()).until(() -> renditionPublishing(server));
                    HttpResponse<String> removed = Http.send("DELETE", renditions + "/180p", null, null);
                    assertEquals(200, removed.statusCode(), removed.body());
                    assertEquals(0, json(removed).get("renditionInputs").size());
                    assertNotEquals(0, low.await(20), "the removed rendition's encoder was ended");
                    assertTrue(low.output().contains("rendition was removed"), low.output());
                    assertFalse(server.server().streams().find(FeedId.rendition("abr", "180p")).isPresent(), "its hub is gone");
                    await().atMost(Duration.ofSeconds(20)).until(() -> multivariant(server), text -> !text.contains("r/180p/"));
                }
                assertTrue(program.alive(), "the program's encoder goes on");
            }
            assertEquals(404, Http.send("DELETE", renditions + "/180p", null, null).statusCode());
            assertEquals(201, Http.send("POST", renditions, "{\"id\":\"360p\",\"streamName\":\"abr-360p-0123456789\"}", null)
                    .statusCode());
            HttpResponse<String> laddered = Http.send("PATCH", rooms + "/abr",
                    "{\"ladder\":[{\"id\":\"180p\",\"height\":180,\"videoKbps\":300}]}", null);
            assertEquals(200, laddered.statusCode(), laddered.body());
        }
        try (TestServer restarted = TestServer.start(conf)) {
            JsonNode room = json(Http.get(restarted.httpUrl("/api/rooms/abr")));
            assertEquals("360p", room.get("renditionInputs").get(0).get("id").asText(), "a bound rendition survives a restart");
            assertEquals("abr-360p-0123456789", room.get("renditionInputs").get(0).get("streamName").asText());
            JsonNode rung = room.get("ladderRungs").get(0);
            assertEquals("180p 180 300 96", rung.get("id").asText() + " " + rung.get("height").asInt() + " "
                    + rung.get("videoKbps").asInt() + " " + rung.get("audioKbps").asInt(), "the ladder survives, audio at its default");
            try (Ffmpeg.Run low = publish(restarted, "abr-360p-0123456789")) {
                await().atMost(Duration.ofSeconds(30)).failFast(() -> !low.alive()).until(() -> renditionPublishing(restarted));
            }
        }
    }

    @Test
    void renditionsAndLaddersAreCheckedAsInTheConfigFile() throws Exception {
        try (TestServer server = TestServer.start()) {
            String rooms = server.httpUrl("/api/rooms");
            String[][] refused = {
                {"{\"id\":\"a\",\"ladder\":[{\"id\":\"361p\",\"height\":361,\"videoKbps\":800}]}", "even"},
                {"{\"id\":\"a\",\"ladder\":[{\"id\":\"360p\",\"height\":360}]}", "videoKbps must be 50 to 50000"},
                {"{\"id\":\"a\",\"ladder\":[{\"id\":\"360p\",\"height\":32,\"videoKbps\":800}]}", "height must be 64 to 4320"},
                {"{\"id\":\"a\",\"ladder\":[{\"id\":\"360p\",\"height\":360,\"videoKbps\":800,\"audioKbps\":8}]}", "audioKbps"},
                {"{\"id\":\"a\",\"ladder\":[{\"id\":\"360p\",\"height\":360,\"videoKbps\":800},"
                        + "{\"id\":\"360p\",\"height\":240,\"videoKbps\":400}]}", "given twice"},
                {"{\"id\":\"a\",\"renditions\":[{\"id\":\"360p\"}],\"ladder\":[{\"id\":\"360p\",\"height\":360,\"videoKbps\":800}]}",
                        "either sent by an encoder or made by the ladder"},
                {"{\"id\":\"a\",\"renditions\":[{\"id\":\"360p\"},{\"id\":\"360p\"}]}", "given twice"},
                {"{\"id\":\"a\",\"renditions\":[{\"id\":\"Full HD\"}]}", "a rendition id is"},
            };
            for (String[] one : refused) {
                HttpResponse<String> answer = Http.send("POST", rooms, one[0], null);
                assertEquals(400, answer.statusCode(), one[0] + ": " + answer.body());
                assertTrue(json(answer).get("error").asText().contains(one[1]), answer.body());
            }
            assertEquals(404, Http.get(rooms + "/a").statusCode(), "nothing was created");

            HttpResponse<String> created = Http.send("POST", rooms, "{\"id\":\"a\",\"renditions\":[{\"id\":\"480p\"}],"
                    + "\"ladder\":[{\"id\":\"240p\",\"height\":240,\"videoKbps\":400,\"audioKbps\":64}]}", null);
            assertEquals(201, created.statusCode(), created.body());
            String key = json(created).get("renditionInputs").get(0).get("streamName").asText();
            assertTrue(key.length() >= 16, "a generated key");

            HttpResponse<String> kept = Http.send("PATCH", rooms + "/a", "{\"renditions\":[{\"id\":\"480p\"},{\"id\":\"720p\"}]}", null);
            assertEquals(200, kept.statusCode(), kept.body());
            assertEquals(key, json(kept).get("renditionInputs").get(0).get("streamName").asText(), "a PATCH keeps an unnamed key");
            assertEquals(2, json(kept).get("renditionInputs").size());
            assertEquals(1, json(kept).get("ladderRungs").size(), "the ladder is left as it was");
            assertEquals(409, Http.send("POST", rooms + "/a/renditions", "{\"id\":\"240p\"}", null).statusCode(),
                    "a ladder rung has this id");

            HttpResponse<String> reset = Http.send("PATCH", rooms + "/a", "{\"ladder\":null,\"renditions\":null}", null);
            assertEquals(200, reset.statusCode(), reset.body());
            assertEquals(0, json(reset).get("ladderRungs").size());
            assertEquals(0, json(reset).get("renditionInputs").size());
        }
    }

    @Test
    void aLadderSetOnALiveRoomStartsMakingItsRendition() throws Exception {
        try (TestServer server = TestServer.start(HLS + "relay.ladder.ffmpeg = \"" + Ffmpeg.ffmpeg() + "\"\n"
                + "relay.ladder.preset = ultrafast\n");
             Ffmpeg.Run program = publish(server, TestServer.KEY)) {
            String room = server.httpUrl("/api/rooms/demo");
            await().atMost(Duration.ofSeconds(30)).failFast(() -> !program.alive())
                    .until(() -> json(Http.get(room)).get("publishing").asBoolean());
            assertFalse(json(Http.get(room)).has("ladder"), "no ladder yet");

            HttpResponse<String> laddered = Http.send("PATCH", room, "{\"ladder\":[{\"id\":\"144p\",\"height\":144,"
                    + "\"videoKbps\":150,\"audioKbps\":32}]}", null);
            assertEquals(200, laddered.statusCode(), laddered.body());
            await().atMost(Duration.ofSeconds(40)).failFast(() -> !program.alive())
                    .until(() -> Http.get(server.httpUrl("/hls/demo/index.m3u8")).body(), text -> text.contains("r/144p/stream.m3u8"));
            // The room's ladder is measured like a configured one's: its CPU time and restarts by room.
            String metrics = Http.get(server.httpUrl("/metrics")).body();
            assertTrue(metrics.contains("fluxrelay_ladder_cpu_seconds_total{room=\"demo\"}")
                    && metrics.contains("fluxrelay_ladder_restarts_total{room=\"demo\"} 0.0"), metrics);

            assertEquals(200, Http.send("PATCH", room, "{\"ladder\":null}", null).statusCode());
            await().atMost(Duration.ofSeconds(20)).until(() -> !json(Http.get(room)).has("ladder")
                    && server.server().streams().find(FeedId.rendition("demo", "144p")).map(s -> !s.snapshot().publishing())
                    .orElse(true));
        }
    }
}
