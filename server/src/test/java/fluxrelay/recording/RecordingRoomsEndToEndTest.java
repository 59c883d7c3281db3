package fluxrelay.recording;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which rooms record, through the admin API ({@code record} on create and update, shown in the room view, kept in
 * the rooms file), and {@code relay.recording.start = publish}: a room whose encoder publishes but that never goes
 * on the air is recorded through its program. A room made through the API chooses its own start ({@code recordStart})
 * and goes back to the server's with null.
 */
class RecordingRoomsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void roomsCreatedWithRecordAreRecordedFromThePublishBeforeGoLive(@TempDir Path dir) throws Exception {
        Path roomsFile = dir.resolve("rooms.json");
        try (TestServer server = TestServer.start("relay.recording { start = publish, directory = \"" + dir.resolve("rec")
                + "\", grace = 1s, min-free = 0 }\nrelay.demo-room.record = true\nrelay.hls.enabled = false\n"
                + "relay.admin.rooms-file = \"" + roomsFile + "\"\n"
                + "relay.rooms = [ { id = \"panel\", stream-name = \"panel-key-0123456789\", auto-live = false, record = true, "
                + "record-start = go-live } ]\n")) {
            JsonNode kept = create(server, "{\"id\": \"keynote\", \"streamName\": \"keynote-key-0123456789\", "
                    + "\"autoLive\": false, \"record\": true}");
            assertTrue(kept.get("record").asBoolean(), kept.toString());
            JsonNode plain = create(server, "{\"id\": \"backstage\", \"streamName\": \"backstage-key-0123456789\", "
                    + "\"autoLive\": false}");
            assertFalse(plain.get("record").asBoolean(), "relay.recording.enabled is off: " + plain);

            publishClip(server.rtmpUrl("live", "backstage-key-0123456789"));
            publishClip(server.rtmpUrl("live", "panel-key-0123456789")); // its own record-start: GO LIVE, never given
            publishClip(server.rtmpUrl("live", "keynote-key-0123456789")); // never GO LIVE
            JsonNode recording = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> only(server.httpUrl("/api/rooms/keynote/recordings")),
                            r -> r.get("state").asText().equals("ready"));
            assertEquals(0, recordings(server.httpUrl("/api/rooms/backstage/recordings")).size());
            assertEquals(0, recordings(server.httpUrl("/api/rooms/panel/recordings")).size());
            assertTrue(room(server, "panel").get("record").asBoolean());
            assertEquals(1, recordings(server.httpUrl("/api/recordings")).size());
            Path file = dir.resolve("rec").resolve(recording.get("id").asText() + ".mp4");
            assertEquals("", Mp4Probe.decodeErrors(file));
            assertEquals(RecorderTest.clipVideoFrames(), Mp4Probe.videoFrames(file), "the whole publish, none of it shown");

            // record switched through the API: off for keynote, on for backstage; both kept in the rooms file
            assertFalse(patch(server, "keynote", "{\"record\": false}").get("record").asBoolean());
            assertTrue(patch(server, "backstage", "{\"record\": true}").get("record").asBoolean());
            assertTrue(room(server, "backstage").get("record").asBoolean());
            JsonNode stored = JSON.readTree(Files.readString(roomsFile)).get("rooms");
            for (JsonNode room : stored) {
                switch (room.get("id").asText()) {
                    case "keynote" -> assertFalse(room.get("record").asBoolean(), stored.toString());
                    case "backstage" -> assertTrue(room.get("record").asBoolean(), stored.toString());
                    default -> assertFalse(room.has("record"), "a room that set it only in the config follows it: " + stored);
                }
            }
            publishClip(server.rtmpUrl("live", "keynote-key-0123456789"));
            // a recording would have started at the publish's first keyframe and be listed, recording or later
            assertEquals(1, recordings(server.httpUrl("/api/rooms/keynote/recordings")).size(), "keynote no longer records");
            publishClip(server.rtmpUrl("live", "backstage-key-0123456789"));
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> only(server.httpUrl("/api/rooms/backstage/recordings")),
                            r -> r.get("state").asText().equals("ready"));

            // a deleted room stops being recorded; its recordings stay
            assertEquals(200, Http.send("DELETE", server.httpUrl("/api/rooms/backstage"), null, null).statusCode());
            assertEquals(2, recordings(server.httpUrl("/api/recordings")).size());
        }
    }

    @Test
    void anApiRoomWithRecordStartPublishIsRecordedBeforeGoLiveAndNullFollowsTheServerAgain(@TempDir Path dir) throws Exception {
        Path roomsFile = dir.resolve("rooms.json");
        try (TestServer server = TestServer.start("relay.recording { enabled = true, directory = \"" + dir.resolve("rec")
                + "\", grace = 1s, min-free = 0 }\nrelay.hls.enabled = false\n"
                + "relay.admin.rooms-file = \"" + roomsFile + "\"\n")) {
            HttpResponse<String> bad = Http.send("POST", server.httpUrl("/api/rooms"),
                    "{\"id\": \"panel\", \"recordStart\": \"later\"}", null);
            assertEquals(400, bad.statusCode(), bad.body());
            assertEquals("recordStart", JSON.readTree(bad.body()).get("field").asText(), bad.body());
            assertTrue(bad.body().contains("publish or go-live"), bad.body());

            JsonNode created = create(server, "{\"id\": \"keynote\", \"streamName\": \"keynote-key-0123456789\", "
                    + "\"autoLive\": false, \"recordStart\": \"publish\"}");
            assertEquals("publish", created.get("recordStart").asText(), created.toString());
            assertTrue(created.get("recordStartOwn").asBoolean(), created.toString());
            assertEquals("publish", storedRoom(roomsFile, "keynote").get("recordStart").asText());

            publishClip(server.rtmpUrl("live", "keynote-key-0123456789")); // never GO LIVE
            JsonNode recording = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                    .until(() -> only(server.httpUrl("/api/rooms/keynote/recordings")),
                            r -> r.get("state").asText().equals("ready"));
            Path file = dir.resolve("rec").resolve(recording.get("id").asText() + ".mp4");
            assertEquals(RecorderTest.clipVideoFrames(), Mp4Probe.videoFrames(file), "the whole publish, none of it shown");

            JsonNode reset = patch(server, "keynote", "{\"recordStart\": null}");
            assertEquals("go-live", reset.get("recordStart").asText(), "relay.recording.start: " + reset);
            assertFalse(reset.get("recordStartOwn").asBoolean(), reset.toString());
            assertFalse(storedRoom(roomsFile, "keynote").has("recordStart"), Files.readString(roomsFile));
            publishClip(server.rtmpUrl("live", "keynote-key-0123456789"));
            // from the publish, a recording would have started at its first keyframe and be listed, recording or later
            assertEquals(1, recordings(server.httpUrl("/api/rooms/keynote/recordings")).size(),
                    "the next session waits for GO LIVE");
            assertEquals("go-live", room(server, "keynote").get("recordStart").asText());
        }
    }

    @Test
    void recordTrueIsRefusedOnAServerThatRecordsNothing() throws Exception {
        try (TestServer server = TestServer.start("relay.hls.enabled = false\n")) {
            HttpResponse<String> answer = Http.send("POST", server.httpUrl("/api/rooms"),
                    "{\"id\": \"keynote\", \"record\": true}", null);
            assertEquals(400, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("relay.recording.enabled"), answer.body());
            assertEquals(201, Http.send("POST", server.httpUrl("/api/rooms"), "{\"id\": \"keynote\", \"record\": false}", null)
                    .statusCode());
            assertFalse(room(server, "keynote").get("record").asBoolean());
            HttpResponse<String> start = Http.send("PATCH", server.httpUrl("/api/rooms/keynote"),
                    "{\"recordStart\": \"publish\"}", null);
            assertEquals(400, start.statusCode(), start.body());
            assertEquals("recordStart", JSON.readTree(start.body()).get("field").asText(), start.body());
            assertTrue(start.body().contains("relay.recording.enabled"), start.body());
            HttpResponse<String> dvr = Http.send("PATCH", server.httpUrl("/api/rooms/keynote"), "{\"dvrWindow\": \"2h\"}", null);
            assertEquals(400, dvr.statusCode(), dvr.body());
            assertEquals("dvrWindow", JSON.readTree(dvr.body()).get("field").asText(), dvr.body());
            assertTrue(dvr.body().contains("relay.recording.enabled"), dvr.body());
        }
    }

    private static JsonNode storedRoom(Path roomsFile, String id) throws Exception {
        for (JsonNode room : JSON.readTree(Files.readString(roomsFile)).get("rooms")) {
            if (room.get("id").asText().equals(id)) {
                return room;
            }
        }
        throw new AssertionError("room " + id + " not in the rooms file");
    }

    private static JsonNode create(TestServer server, String body) throws Exception {
        HttpResponse<String> answer = Http.send("POST", server.httpUrl("/api/rooms"), body, null);
        assertEquals(201, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    private static JsonNode patch(TestServer server, String id, String body) throws Exception {
        HttpResponse<String> answer = Http.send("PATCH", server.httpUrl("/api/rooms/" + id), body, null);
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    private static JsonNode room(TestServer server, String id) throws Exception {
        HttpResponse<String> answer = Http.get(server.httpUrl("/api/rooms/" + id));
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    /** Publishes the clip once at its own pace and waits for ffmpeg to finish. */
    private static void publishClip(String url) throws Exception {
        try (Ffmpeg.Run encoder = Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-i",
                SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv", url)) {
            assertEquals(0, encoder.await(60), encoder.output());
        }
    }

    private static JsonNode recordings(String url) throws Exception {
        HttpResponse<String> answer = Http.get(url);
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("recordings");
    }

    private static JsonNode only(String url) throws Exception {
        JsonNode all = recordings(url);
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }
}
