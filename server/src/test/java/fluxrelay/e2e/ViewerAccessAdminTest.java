package fluxrelay.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.access.AccessTokens;
import fluxrelay.testing.Http;
import fluxrelay.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A room's {@code viewerAccess} through the admin API: validated, applied at once, kept in the rooms file. */
class ViewerAccessAdminTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0001";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static int hlsStatus(TestServer server, String room, String query) throws Exception {
        return Http.get(server.httpUrl("/hls/" + room + "/index.m3u8" + query)).statusCode();
    }

    @Test
    void roomsSetTheirViewerAccessWhichSurvivesARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rooms.json");
        String conf = "relay.admin.rooms-file = \"" + file + "\"\n"
                + "relay.access.secrets = [\"" + SECRET + "\"]\n"
                + "relay.rooms = [ { id = configured, stream-name = \"configured-key-0123456789\", viewer-access = token } ]";
        String token = new AccessTokens(List.of(SECRET)).sign("gala", Instant.now().plusSeconds(3600), "A-1", null);
        try (TestServer server = TestServer.start(conf)) {
            String rooms = server.httpUrl("/api/rooms");
            HttpResponse<String> created = Http.send("POST", rooms, "{\"id\":\"gala\",\"viewerAccess\":\"Token\"}", null);
            assertEquals(201, created.statusCode(), created.body());
            assertEquals("token", json(created).get("viewerAccess").asText());
            assertEquals(401, hlsStatus(server, "gala", ""), "applied at once");
            assertEquals(404, hlsStatus(server, "gala", "?access=" + token), "with a token: the room is just not live");

            HttpResponse<String> bad = Http.send("PATCH", rooms + "/gala", "{\"viewerAccess\":\"private\"}", null);
            assertEquals(400, bad.statusCode());
            assertEquals("viewerAccess", json(bad).get("field").asText());
            assertEquals("token", json(Http.send("PATCH", rooms + "/gala", "{\"title\":\"Gala\"}", null)).get("viewerAccess").asText(),
                    "a PATCH keeps what it does not name");
            assertEquals("open", json(Http.send("PATCH", rooms + "/configured", "{\"viewerAccess\":\"open\"}", null))
                    .get("viewerAccess").asText());
            assertEquals(404, hlsStatus(server, "configured", ""), "open now: just not live");
            assertEquals("open", json(Http.send("GET", rooms + "/demo", null, null)).get("viewerAccess").asText());
        }
        assertTrue(Files.readString(file).matches("(?s).*\"viewerAccess\" ?: ?\"token\".*"), Files.readString(file));
        try (TestServer server = TestServer.start(conf)) {
            assertEquals(401, hlsStatus(server, "gala", ""));
            assertEquals(404, hlsStatus(server, "configured", ""), "the rooms file's choice wins over the config's");
            assertEquals(200, Http.send("DELETE", server.httpUrl("/api/rooms/gala"), null, null).statusCode());
            Http.send("POST", server.httpUrl("/api/rooms"), "{\"id\":\"gala\"}", null);
            assertEquals(404, hlsStatus(server, "gala", ""), "forgotten with the room");
        }
    }

    @Test
    void aTokenRoomNeedsASecretOnTheServer() throws Exception {
        try (TestServer server = TestServer.start()) {
            HttpResponse<String> refused = Http.send("POST", server.httpUrl("/api/rooms"), "{\"id\":\"gala\",\"viewerAccess\":\"token\"}",
                    null);
            assertEquals(400, refused.statusCode());
            assertTrue(json(refused).get("error").asText().contains("relay.access.secrets"), refused.body());
            assertFalse(Http.send("GET", server.httpUrl("/api/rooms/gala"), null, null).statusCode() == 200);
        }
    }
}
