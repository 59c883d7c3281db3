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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live DVR window chosen through the admin API ({@code dvrWindow}) against the real server and ffmpeg: a recording
 * room created with an 8 s window serves a DVR playlist of about 8 s once enough was published, while a recording room
 * created without one (the server's default being none) answers 404 there; bad values are refused naming the field, and
 * a window reset on a live room leaves the running session and its window whole.
 */
class DvrRoomsEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TALK_KEY = "talk-key-0123456789";
    private static final String PLAIN_KEY = "plain-key-0123456789";
    private static final Pattern SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+),");

    @Test
    void anApiRoomWithAnEightSecondWindowServesItAndOneWithoutAnswers404(@TempDir Path dir) throws Exception {
        Path roomsFile = dir.resolve("rooms.json");
        try (TestServer server = TestServer.start("relay.recording { enabled = true, directory = \"" + dir.resolve("rec")
                + "\", grace = 1s, min-free = 0 }\nrelay.admin.rooms-file = \"" + roomsFile + "\"\n")) {
            refused(server, "{\"id\": \"short\", \"dvrWindow\": \"3s\"}", "24h");
            refused(server, "{\"id\": \"number\", \"dvrWindow\": 90}", "90s");
            refused(server, "{\"id\": \"quiet\", \"record\": false, \"dvrWindow\": \"8s\"}", "does not record");

            JsonNode talk = create(server, "{\"id\": \"talk\", \"streamName\": \"" + TALK_KEY + "\", \"dvrWindow\": \"8s\"}");
            assertEquals("8s", talk.get("dvrWindow").asText(), talk.toString());
            assertTrue(talk.get("dvrWindowOwn").asBoolean(), talk.toString());
            JsonNode plain = create(server, "{\"id\": \"plain\", \"streamName\": \"" + PLAIN_KEY + "\"}");
            assertEquals("0s", plain.get("dvrWindow").asText(), "relay.recording.dvr-window: " + plain);
            assertFalse(plain.get("dvrWindowOwn").asBoolean(), plain.toString());
            assertTrue(Files.readString(roomsFile).contains("\"dvrWindow\" : \"8s\""), Files.readString(roomsFile));

            String talkPlaylist = server.httpUrl("/hls/talk/dvr.m3u8");
            try (Ffmpeg.Run talkEncoder = encoder(server.rtmpUrl("live", TALK_KEY));
                 Ffmpeg.Run plainEncoder = encoder(server.rtmpUrl("live", PLAIN_KEY))) {
                // Grown to the window, then sliding: about 8 s listed.
                String grown = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> body(talkPlaylist), text -> sequence(text) > 0);
                double listed = seconds(grown);
                assertTrue(listed >= 8 && listed <= 8 + 2.5, listed + " s listed: " + grown);
                assertFalse(grown.contains("#EXT-X-ENDLIST"), grown);

                // plain records too, and has no window.
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> recordings(server, "plain").size() == 1);
                assertEquals(404, Http.get(server.httpUrl("/hls/plain/dvr.m3u8")).statusCode());

                // Reset on the live room: from its next session; the running one goes on, whole, with its window.
                JsonNode reset = patch(server, "talk", "{\"dvrWindow\": null}");
                assertEquals("0s", reset.get("dvrWindow").asText(), reset.toString());
                assertFalse(reset.get("dvrWindowOwn").asBoolean(), reset.toString());
                assertFalse(Files.readString(roomsFile).contains("dvrWindow"), Files.readString(roomsFile));
                long before = sequence(grown);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .until(() -> sequence(body(talkPlaylist)) >= before + 3);
                JsonNode sessions = recordings(server, "talk");
                assertEquals(1, sessions.size(), sessions.toString());
                assertEquals("recording", sessions.get(0).get("state").asText(), sessions.toString());
            }
        }
    }

    private static Ffmpeg.Run encoder(String url) throws Exception {
        return Ffmpeg.startFfmpeg("-loglevel", "warning", "-re", "-stream_loop", "-1", "-i",
                SampleMedia.file(SampleMedia.AV_720P).toString(), "-c", "copy", "-f", "flv", url);
    }

    private static void refused(TestServer server, String body, String says) throws Exception {
        HttpResponse<String> answer = Http.send("POST", server.httpUrl("/api/rooms"), body, null);
        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("dvrWindow", JSON.readTree(answer.body()).get("field").asText(), answer.body());
        assertTrue(answer.body().contains(says), answer.body());
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

    private static JsonNode recordings(TestServer server, String id) throws Exception {
        HttpResponse<String> answer = Http.get(server.httpUrl("/api/rooms/" + id + "/recordings"));
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).get("recordings");
    }

    private static String body(String url) throws Exception {
        HttpResponse<String> answer = Http.get(url);
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.body();
    }

    private static long sequence(String playlist) {
        Matcher m = SEQUENCE.matcher(playlist);
        assertTrue(m.find(), playlist);
        return Long.parseLong(m.group(1));
    }

    private static double seconds(String playlist) {
        Matcher m = EXTINF.matcher(playlist);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
