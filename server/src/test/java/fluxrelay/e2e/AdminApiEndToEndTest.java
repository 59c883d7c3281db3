package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rooms admin API against the real server, with real encoders and viewers. */
class AdminApiEndToEndTest {

    private static final String TOKEN = "admin-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    @Test
    void roomsAreCreatedReadUpdatedAndDeletedWithValidation() throws Exception {
        try (TestServer server = TestServer.start("relay.admin.token = \"" + TOKEN + "\"")) {
            String rooms = server.httpUrl("/api/rooms");
            HttpResponse<String> created = Http.send("POST", rooms, "{\"id\":\"keynote\",\"title\":\"Keynote\"}", TOKEN);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode room = json(created);
            assertEquals("live", room.get("app").asText());
            assertTrue(room.get("streamName").asText().length() >= 20, "a strong generated key");
            assertFalse(room.get("publishing").asBoolean());

            assertEquals(409, Http.send("POST", rooms, "{\"id\":\"keynote\"}", TOKEN).statusCode());
            HttpResponse<String> badId = Http.send("POST", rooms, "{\"id\":\"../etc\"}", TOKEN);
            assertEquals(400, badId.statusCode());
            assertEquals("id", json(badId).get("field").asText());
            HttpResponse<String> unknownField = Http.send("POST", rooms, "{\"id\":\"a\",\"colour\":\"red\"}", TOKEN);
            assertEquals(400, unknownField.statusCode());
            assertEquals("colour", json(unknownField).get("field").asText());
            assertEquals(400, Http.send("POST", rooms, "{\"id\":", TOKEN).statusCode());
            HttpResponse<String> shortKey = Http.send("POST", rooms, "{\"id\":\"b\",\"streamName\":\"short\"}", TOKEN);
            assertEquals("streamName", json(shortKey).get("field").asText());
            HttpResponse<String> wrongType = Http.send("POST", rooms, "{\"id\":\"c\",\"autoLive\":\"maybe\"}", TOKEN);
            assertEquals(400, wrongType.statusCode());
            assertEquals("autoLive", json(wrongType).get("field").asText());

            HttpResponse<String> patched = Http.send("PATCH", rooms + "/keynote", "{\"title\":\"Opening keynote\"}", TOKEN);
            assertEquals("Opening keynote", json(patched).get("title").asText());
            assertEquals(404, Http.send("GET", rooms + "/nope", null, TOKEN).statusCode());
            assertEquals(2, json(Http.send("GET", rooms, null, TOKEN)).get("rooms").size());
            assertEquals(200, Http.send("DELETE", rooms + "/keynote", null, TOKEN).statusCode());
            assertEquals(404, Http.send("GET", rooms + "/keynote", null, TOKEN).statusCode());
        }
    }

    @Test
    void roomsCarryBandwidthSettingsAndCheckResultsThatSurviveARestart(@TempDir Path dir) throws Exception {
        String conf = "relay.admin.rooms-file = \"" + dir.resolve("rooms.json") + "\"\n"
                + "relay.bandwidth { required-mbps = 3, policy = warn }\n"
                + "relay.rooms = [ { id = configured, stream-name = \"configured-key-0123456789\", required-mbps = 4 } ]";
        try (TestServer server = TestServer.start(conf)) {
            String rooms = server.httpUrl("/api/rooms");
            HttpResponse<String> created = Http.send("POST", rooms,
                    "{\"id\":\"gala\",\"requiredMbps\":5,\"bandwidthPolicy\":\"Enforce\"}", null);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode room = json(created);
            assertEquals(5.0, room.get("requiredMbps").asDouble());
            assertEquals("enforce", room.get("bandwidthPolicy").asText());
            assertEquals(5.0, room.get("bandwidth").get("requiredMbps").asDouble());
            assertEquals("enforce", room.get("bandwidth").get("policy").asText());
            assertEquals(5_000_000, server.server().bandwidth().requirement("gala").bitsPerSecond());

            for (String bad : new String[] {"{\"id\":\"x\",\"requiredMbps\":0}", "{\"id\":\"x\",\"requiredMbps\":\"fast\"}",
                    "{\"id\":\"x\",\"requiredMbps\":100001}"}) {
                HttpResponse<String> answer = Http.send("POST", rooms, bad, null);
                assertEquals(400, answer.statusCode(), bad);
                assertEquals("requiredMbps", json(answer).get("field").asText(), answer.body());
            }
            HttpResponse<String> badPolicy = Http.send("PATCH", rooms + "/gala", "{\"bandwidthPolicy\":\"strict\"}", null);
            assertEquals(400, badPolicy.statusCode());
            assertEquals("bandwidthPolicy", json(badPolicy).get("field").asText());
            assertTrue(Http.send("GET", rooms + "/x", null, null).statusCode() == 404, "refused rooms are not created");

            JsonNode patched = json(Http.send("PATCH", rooms + "/gala", "{\"bandwidthPolicy\":\"warn\"}", null));
            assertEquals(5.0, patched.get("bandwidth").get("requiredMbps").asDouble(), "a PATCH keeps what it does not name");
            assertEquals("warn", patched.get("bandwidth").get("policy").asText());

            HttpResponse<String> probe = Http.get(server.httpUrl("/bwcheck/gala"));
            Http.get(server.httpUrl(probe.headers().firstValue("x-bandwidth-result").orElseThrow()));
            JsonNode bandwidth = json(Http.send("GET", rooms + "/gala", null, null)).get("bandwidth");
            assertEquals(1, bandwidth.get("totals").get("probes").asInt(), bandwidth.toString());
            assertEquals(0, bandwidth.get("viewers").get("below").asInt());
            assertEquals(0, bandwidth.get("flagged").size());
            JsonNode verdict = bandwidth.get("recent").get(0);
            assertEquals("http-probe", verdict.get("source").asText());
            assertEquals("ok", verdict.get("verdict").asText());
            assertTrue(verdict.get("measuredMbps").asDouble() > 5, verdict.toString());
            assertEquals(5.0, verdict.get("requiredMbps").asDouble());

            JsonNode configured = json(Http.send("GET", rooms + "/configured", null, null));
            assertEquals(4.0, configured.get("bandwidth").get("requiredMbps").asDouble());
            assertEquals("warn", configured.get("bandwidth").get("policy").asText(), "the default policy");
            assertEquals(3.0, json(Http.send("GET", rooms + "/demo", null, null)).get("bandwidth").get("requiredMbps").asDouble());
            Http.send("PATCH", rooms + "/configured", "{\"bandwidthPolicy\":\"off\"}", null);
        }
        try (TestServer server = TestServer.start(conf)) {
            assertEquals(5_000_000, server.server().bandwidth().requirement("gala").bitsPerSecond());
            assertEquals("warn", server.server().bandwidth().requirement("gala").policy().label());
            assertEquals(4_000_000, server.server().bandwidth().requirement("configured").bitsPerSecond());
            assertEquals("off", server.server().bandwidth().requirement("configured").policy().label());
            assertEquals(200, Http.send("DELETE", server.httpUrl("/api/rooms/gala"), null, null).statusCode());
            assertEquals(3_000_000, server.server().bandwidth().requirement("gala").bitsPerSecond(), "forgotten with the room");
        }
    }

    @Test
    void aPatchGivingAProgramSettingAsNullPutsItBackToTheServerDefault(@TempDir Path dir) throws Exception {
        String conf = "relay.admin.rooms-file = \"" + dir.resolve("rooms.json") + "\"\n"
                + "relay.program.failback-after = 20s\n"
                + "relay.rooms = [ { id = configured, stream-name = \"configured-key-0123456789\", failover-after = 2s, "
                + "failback = manual } ]";
        try (TestServer server = TestServer.start(conf)) {
            String gala = server.httpUrl("/api/rooms/gala");
            assertEquals(201, Http.send("POST", server.httpUrl("/api/rooms"),
                    "{\"id\":\"gala\",\"failoverAfter\":\"2.5s\",\"failbackAfter\":\"1m\",\"failback\":\"manual\"}", null)
                    .statusCode());

            HttpResponse<String> answer = Http.send("PATCH", gala, "{\"failoverAfter\":null,\"title\":null}", null);
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode room = json(answer);
            assertTrue(room.get("failoverAfter").isNull(), "reset: follows relay.program again");
            assertEquals("1500ms", room.get("programPolicy").get("failoverAfter").asText());
            assertEquals("60s", room.get("failbackAfter").asText(), "a setting not named stays");
            assertEquals("manual", room.get("failback").asText());
            assertEquals("gala", room.get("title").asText(), "a null title is no change, as before");

            room = json(Http.send("PATCH", gala, "{\"failbackAfter\":null,\"failback\":null}", null));
            assertTrue(room.get("failbackAfter").isNull() && room.get("failback").isNull(), room.toString());
            assertEquals("20s", room.get("programPolicy").get("failbackAfter").asText());
            assertEquals("auto", room.get("programPolicy").get("failback").asText());

            JsonNode configured = json(Http.send("PATCH", server.httpUrl("/api/rooms/configured"), "{\"failback\":null}", null));
            assertTrue(configured.get("failback").isNull(), "a setting of the config file can be reset too");
            assertEquals("2s", configured.get("failoverAfter").asText());
            assertEquals(400, Http.send("PATCH", gala, "{\"failoverAfter\":5}", null).statusCode(), "not a duration text");
        }
        try (TestServer server = TestServer.start(conf)) {
            JsonNode gala = json(Http.send("GET", server.httpUrl("/api/rooms/gala"), null, null));
            assertTrue(gala.get("failoverAfter").isNull() && gala.get("failbackAfter").isNull() && gala.get("failback").isNull(),
                    "the reset survives a restart: " + gala);
            JsonNode configured = json(Http.send("GET", server.httpUrl("/api/rooms/configured"), null, null));
            assertTrue(configured.get("failback").isNull(), "the runtime reset over the config file's: " + configured);
        }
    }

    @Test
    void roomsSetTheirOwnFailoverAndFailbackThatSurviveARestart(@TempDir Path dir) throws Exception {
        String conf = "relay.admin.rooms-file = \"" + dir.resolve("rooms.json") + "\"\n"
                + "relay.program.failback-after = 20s\n"
                + "relay.rooms = [ { id = configured, stream-name = \"configured-key-0123456789\", failover-after = 2s } ]";
        try (TestServer server = TestServer.start(conf)) {
            String rooms = server.httpUrl("/api/rooms");
            HttpResponse<String> created = Http.send("POST", rooms,
                    "{\"id\":\"gala\",\"failoverAfter\":\"2.5s\",\"failback\":\"Manual\"}", null);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode room = json(created);
            assertEquals("2500ms", room.get("failoverAfter").asText());
            assertTrue(room.get("failbackAfter").isNull(), "not set: follows relay.program");
            assertEquals("manual", room.get("failback").asText());
            JsonNode policy = room.get("programPolicy");
            assertEquals("2500ms", policy.get("failoverAfter").asText());
            assertEquals("20s", policy.get("failbackAfter").asText(), "the server's");
            assertEquals("manual", policy.get("failback").asText());

            for (String[] bad : new String[][] {{"failoverAfter", "\"0s\""}, {"failoverAfter", "\"soon\""},
                    {"failbackAfter", "\"-1s\""}, {"failbackAfter", "\"2d\""}, {"failback", "\"never\""}}) {
                HttpResponse<String> answer = Http.send("PATCH", rooms + "/gala", "{\"" + bad[0] + "\":" + bad[1] + "}", null);
                assertEquals(400, answer.statusCode(), answer.body());
                assertEquals(bad[0], json(answer).get("field").asText(), answer.body());
            }
            JsonNode patched = json(Http.send("PATCH", rooms + "/gala", "{\"failbackAfter\":\"1m\"}", null));
            assertEquals("2500ms", patched.get("failoverAfter").asText(), "a PATCH keeps what it does not name");
            assertEquals("60s", patched.get("programPolicy").get("failbackAfter").asText());

            JsonNode configured = json(Http.send("GET", rooms + "/configured", null, null));
            assertEquals("2s", configured.get("failoverAfter").asText());
            assertEquals("auto", configured.get("programPolicy").get("failback").asText());
            JsonNode demo = json(Http.send("GET", rooms + "/demo", null, null)).get("programPolicy");
            assertEquals("1500ms", demo.get("failoverAfter").asText(), "a room that sets nothing follows relay.program");
            Http.send("PATCH", rooms + "/configured", "{\"failback\":\"manual\"}", null);
        }
        try (TestServer server = TestServer.start(conf)) {
            JsonNode gala = json(Http.send("GET", server.httpUrl("/api/rooms/gala"), null, null)).get("programPolicy");
            assertEquals("2500ms", gala.get("failoverAfter").asText());
            assertEquals("60s", gala.get("failbackAfter").asText());
            assertEquals("manual", gala.get("failback").asText());
            JsonNode configured = json(Http.send("GET", server.httpUrl("/api/rooms/configured"), null, null));
            assertEquals("2s", configured.get("failoverAfter").asText());
            assertEquals("manual", configured.get("failback").asText(), "the runtime change over the config file's");
        }
    }

    /**
     * The quick-start case (no token, a browser on the same machine): a page on another site posting a form, or
     * reaching the server under its own host name (DNS rebinding), neither changes nor reads a room; a script
     * sending JSON does. Over HTTP on the real listener.
     */
    @Test
    void browsersOnOtherSitesCannotUseTheLoopbackApi() throws Exception {
        try (TestServer server = TestServer.start()) {
            String rotate = server.httpUrl("/api/rooms/demo/stream-name");
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> crossSite = client.send(HttpRequest.newBuilder(URI.create(rotate))
                    .header("Content-Type", "text/plain").header("Origin", "http://evil.example")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, crossSite.statusCode(), crossSite.body());
            HttpResponse<String> form = client.send(HttpRequest.newBuilder(URI.create(rotate))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("a=b")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(415, form.statusCode(), form.body());
            assertEquals(TestServer.KEY, json(Http.get(server.httpUrl("/api/rooms/demo"))).get("streamName").asText(), "not rotated");

            String rebound = rawGet(server.httpPort(), "/api/rooms/demo", "evil.example:" + server.httpPort());
            assertTrue(rebound.startsWith("HTTP/1.1 421"), rebound);
            assertFalse(rebound.contains(TestServer.KEY), "the key is not read under a foreign host name");
            assertTrue(rawGet(server.httpPort(), "/api/rooms/demo", "localhost:" + server.httpPort()).startsWith("HTTP/1.1 200"));

            assertNotEquals(TestServer.KEY, json(Http.send("POST", rotate, null, null)).get("streamName").asText(),
                    "a script sending JSON rotates the key");
            assertEquals(405, Http.send("POST", server.httpUrl("/health/live"), null, null).statusCode());
        }
    }

    @Test
    void wrongTokensAreLimitedPerAddress() throws Exception {
        try (TestServer server = TestServer.start("relay.admin { token = \"" + TOKEN + "\", auth-failures-per-minute = 5 }")) {
            String rooms = server.httpUrl("/api/rooms");
            for (int i = 0; i < 5; i++) {
                assertEquals(401, Http.send("GET", rooms, null, "wrong-token-" + i).statusCode());
            }
            HttpResponse<String> limited = Http.send("GET", rooms, null, "wrong-token-5");
            assertEquals(429, limited.statusCode());
            assertTrue(limited.headers().firstValueAsLong("Retry-After").orElse(0) >= 1, limited.headers().toString());
            assertEquals(429, Http.send("GET", rooms, null, TOKEN).statusCode(), "no token is checked while limited");
        }
    }

    /** A GET with this Host header over a plain socket (the JDK's client does not let a caller set Host). */
    private static String rawGet(int port, String path, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theTokenIsRequiredWhenConfiguredAndLoopbackSufficesWithout() throws Exception {
        try (TestServer server = TestServer.start("relay.admin.token = \"" + TOKEN + "\"")) {
            String rooms = server.httpUrl("/api/rooms");
            assertEquals(401, Http.send("GET", rooms, null, null).statusCode());
            assertEquals(401, Http.send("GET", rooms, null, "wrong-token-0123456789").statusCode());
            assertEquals(200, Http.send("GET", rooms, null, TOKEN).statusCode());
        }
        try (TestServer server = TestServer.start()) {
            assertEquals(200, Http.get(server.httpUrl("/api/rooms")).statusCode(), "loopback without a token");
        }
    }

    @Test
    void rotatingTheStreamNameEndsTheLivePublisherAndTheNewKeyWorks() throws Exception {
        try (TestServer server = TestServer.start()) {
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-loglevel", "info", "-re", "-stream_loop", "-1", "-i", sample.toString(), "-c",
                    "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().stream("demo", true).snapshot().publishing());
                JsonNode rotated = json(Http.send("POST", server.httpUrl("/api/rooms/demo/stream-name"), null, null));
                String newKey = rotated.get("streamName").asText();
                assertNotEquals(TestServer.KEY, newKey);
                assertNotEquals(0, ffmpeg.await(20), "the encoder was ended");
                assertTrue(ffmpeg.output().contains("stream key was changed"), ffmpeg.output());
                try (Ffmpeg.Run again = Ffmpeg.startFfmpeg("-re", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                        server.rtmpUrl("live", newKey))) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().stream("demo", true).snapshot().publishing());
                }
            }
        }
    }

    @Test
    void goLiveStartsWaitingViewersAndKickingWorks() throws Exception {
        try (TestServer server = TestServer.start("relay.rooms = [ { id = stage, stream-name = \"stage-key-0123456789\", auto-live = false } ]");
             RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            viewer.play("stage");
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    server.rtmpUrl("live", "stage-key-0123456789"))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().stream("stage", false).snapshot().publishing());
                // The hub took in a whole keyframe interval (2 s in the sample) and the viewer's connection has
                // caught up with whatever the hub handed it meanwhile: a frame it was sent would be here.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> server.server().streams().stream("stage", false).snapshot().lastTimestamp() > 2500);
                viewer.sync();
                assertTrue(viewer.received().stream().noneMatch(r -> r.isVideo()), "nothing before GO LIVE");
                JsonNode live = json(Http.send("POST", server.httpUrl("/api/rooms/stage/live"), null, null));
                assertTrue(live.get("live").asBoolean());
                await().atMost(Duration.ofSeconds(5)).until(() -> viewer.received().stream().anyMatch(RtmpTestClient.Received::keyframe));

                JsonNode viewers = json(Http.get(server.httpUrl("/api/rooms/stage/viewers"))).get("viewers");
                assertEquals(1, viewers.size());
                assertEquals("rtmp", viewers.get(0).get("protocol").asText());
                long id = viewers.get(0).get("id").asLong();
                assertEquals(200, Http.send("DELETE", server.httpUrl("/api/rooms/stage/viewers/" + id), null, null).statusCode());
                assertTrue(viewer.awaitClosed(Duration.ofSeconds(5)));

                assertEquals(200, Http.send("DELETE", server.httpUrl("/api/rooms/stage/publisher"), null, null).statusCode());
                assertNotEquals(0, ffmpeg.await(20));
            }
        }
    }

    @Test
    void deletingALiveRoomEndsItsPublisher() throws Exception {
        try (TestServer server = TestServer.start()) {
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    server.rtmpUrl("live", TestServer.KEY))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().stream("demo", true).snapshot().publishing());
                assertEquals(200, Http.send("DELETE", server.httpUrl("/api/rooms/demo"), null, null).statusCode());
                assertNotEquals(0, ffmpeg.await(20));
            }
        }
    }

    @Test
    void aRoomWithTwoInputsTakesAnEncoderOnEachAndListsThemWhileViewersGetTheMainOne(@TempDir Path dir) throws Exception {
        String conf = "relay.admin.rooms-file = \"" + dir.resolve("rooms.json") + "\"";
        try (TestServer server = TestServer.start(conf)) {
            String rooms = server.httpUrl("/api/rooms");
            HttpResponse<String> created = Http.send("POST", rooms, "{\"id\":\"gala\",\"inputs\":[{\"id\":\"main\","
                    + "\"streamName\":\"gala-main-0123456789\"},{\"id\":\"backup\"}]}", null);
            assertEquals(201, created.statusCode(), created.body());
            JsonNode inputs = json(created).get("inputs");
            assertEquals(2, inputs.size());
            assertEquals("gala-main-0123456789", json(created).get("streamName").asText(), "the first input is the main one");
            String backupKey = inputs.get(1).get("streamName").asText();
            assertTrue(backupKey.length() >= 20, "a generated key for the input that gave none");
            assertEquals(400, Http.send("POST", rooms, "{\"id\":\"bad\",\"inputs\":[{\"id\":\"Main Cam\"}]}", null).statusCode());
            assertEquals(400, Http.send("POST", rooms, "{\"id\":\"dup\",\"inputs\":[{\"id\":\"a\"},{\"id\":\"a\"}]}", null)
                    .statusCode());
            assertEquals(409, Http.send("POST", rooms, "{\"id\":\"taken\",\"inputs\":[{\"id\":\"a\",\"streamName\":\""
                    + backupKey + "\"}]}", null).statusCode(), "a stream name is bound once on the server");

            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run main = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f", "flv",
                    server.rtmpUrl("live", "gala-main-0123456789"));
                 Ffmpeg.Run backup = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f",
                         "flv", server.rtmpUrl("live", backupKey));
                 RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    JsonNode room = json(Http.send("GET", rooms + "/gala", null, null));
                    return room.get("inputs").get(0).get("publishing").asBoolean() && room.get("inputs").get(1).get("publishing").asBoolean();
                });
                JsonNode room = json(Http.send("GET", rooms + "/gala", null, null));
                assertEquals("here", room.get("inputs").get(1).get("origin").asText());
                assertTrue(room.get("publishing").asBoolean());
                viewer.play("gala");
                await().atMost(Duration.ofSeconds(10)).until(() -> viewer.received().stream().anyMatch(RtmpTestClient.Received::keyframe));
                assertEquals(1, json(Http.send("GET", rooms + "/gala/viewers", null, null)).get("viewers").size());
                assertEquals(200, Http.send("DELETE", rooms + "/gala", null, null).statusCode());
                assertNotEquals(0, main.await(20), "deleting the room ends every input's encoder");
                assertNotEquals(0, backup.await(20));
            }
            assertEquals(201, Http.send("POST", rooms, "{\"id\":\"panel\",\"inputs\":[{\"id\":\"stage\"},{\"id\":\"slides\"}]}",
                    null).statusCode());
        }
        try (TestServer restarted = TestServer.start(conf)) {
            JsonNode panel = json(Http.send("GET", restarted.httpUrl("/api/rooms/panel"), null, null));
            assertEquals("stage", panel.get("inputs").get(0).get("id").asText(), "inputs survive a restart, in order");
            assertEquals("slides", panel.get("inputs").get(1).get("id").asText());
            assertEquals(404, Http.send("GET", restarted.httpUrl("/api/rooms/gala"), null, null).statusCode());
        }
    }

    @Test
    void inputsDeclaredInTheConfigurationArePublishableByTheirOwnKeys() throws Exception {
        String conf = "relay.rooms = [ { id = gala, inputs = [ { id = main, stream-name = \"gala-main-0123456789\" },"
                + " { id = backup, stream-name = \"gala-backup-0123456789\", role = backup } ] } ]";
        try (TestServer server = TestServer.start(conf)) {
            Path sample = SampleMedia.file(SampleMedia.AV_720P);
            try (Ffmpeg.Run backup = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", sample.toString(), "-c", "copy", "-f",
                    "flv", server.rtmpUrl("live", "gala-backup-0123456789"))) {
                String gala = server.httpUrl("/api/rooms/gala");
                await().atMost(Duration.ofSeconds(20)).until(() -> json(Http.send("GET", gala, null, null)).get("inputs").get(1)
                        .get("publishing").asBoolean());
                JsonNode room = json(Http.send("GET", gala, null, null));
                assertEquals("backup", room.get("inputs").get(1).get("id").asText());
                assertFalse(room.get("inputs").get(0).get("publishing").asBoolean(), "the backup key publishes into the backup input only");
                assertTrue(backup.alive());
            }
        }
    }

    @Test
    void streamNamesFollowTheConfigRuleAndNeverEqualARoomId() throws Exception {
        try (TestServer server = TestServer.start("relay.rooms = [ { id = keynote-0123456789ab, stream-name = \"keynote-key-0123456789\" } ]")) {
            String rooms = server.httpUrl("/api/rooms");
            HttpResponse<String> ownId = Http.send("POST", rooms, "{\"id\":\"gala-0123456789abcd\",\"streamName\":\"gala-0123456789abcd\"}", null);
            assertEquals(400, ownId.statusCode(), ownId.body());
            assertEquals("streamName", json(ownId).get("field").asText());
            assertTrue(json(ownId).get("error").asText().contains("must not equal a room id"), ownId.body());
            HttpResponse<String> otherId = Http.send("POST", rooms, "{\"id\":\"gala\",\"streamName\":\"keynote-0123456789ab\"}", null);
            assertEquals(400, otherId.statusCode(), otherId.body());
            assertEquals("streamName", json(otherId).get("field").asText());
            HttpResponse<String> weakInput = Http.send("POST", rooms, "{\"id\":\"gala\",\"inputs\":[{\"id\":\"main\"},"
                    + "{\"id\":\"backup\",\"streamName\":\"backup\"}]}", null);
            assertEquals(400, weakInput.statusCode(), weakInput.body());
            assertEquals("inputs", json(weakInput).get("field").asText());
            assertTrue(json(weakInput).get("error").asText().startsWith("input 'backup': a stream name must be at least 16"), weakInput.body());
            HttpResponse<String> idIsAKey = Http.send("POST", rooms, "{\"id\":\"" + TestServer.KEY + "\"}", null);
            assertEquals(409, idIsAKey.statusCode(), idIsAKey.body());
            assertEquals("id", json(idIsAKey).get("field").asText());
            HttpResponse<String> rotated = Http.send("POST", rooms + "/demo/stream-name", "{\"streamName\":\"keynote-0123456789ab\"}", null);
            assertEquals(400, rotated.statusCode(), rotated.body());
            assertEquals(TestServer.KEY, server.server().rooms().findById("demo").orElseThrow().streamName(), "the key stayed");
        }
    }

    @Test
    void aRoomsFileWithAWeakKeyIsRefusedNamingTheRoom(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rooms.json");
        String conf = "relay.admin.rooms-file = \"" + file + "\"\n";
        Files.writeString(file, "{ \"version\": 1, \"rooms\": [ { \"id\": \"old\", \"streamName\": \"old-key\" } ], \"deleted\": [] }");
        IllegalStateException weak = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> TestServer.start(conf).close());
        assertTrue(weak.getMessage().startsWith("rooms file " + file + ": room 'old': a stream name must be at least 16"), weak.getMessage());
        Files.writeString(file, "{ \"version\": 1, \"rooms\": [ { \"id\": \"old\", \"streamName\": \"" + TestServer.KEY
                + "-2\" }, { \"id\": \"" + TestServer.KEY + "-2\", \"streamName\": \"another-key-0123456789\" } ] }");
        IllegalStateException publicKey = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> TestServer.start(conf).close());
        assertTrue(publicKey.getMessage().contains("room 'old': a stream name must not equal a room id"), publicKey.getMessage());
        assertTrue(Files.readString(file).contains("\"old\""), "the file was left untouched");
    }

    @Test
    void runtimeChangesSurviveARestartAndACorruptFileIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rooms.json");
        String conf = "relay.admin.rooms-file = \"" + file + "\"\n"
                + "relay.rooms = [ { id = configured, stream-name = \"configured-key-0123456789\" } ]";
        String key;
        try (TestServer server = TestServer.start(conf)) {
            key = json(Http.send("POST", server.httpUrl("/api/rooms"), "{\"id\":\"added\",\"title\":\"Added\"}", null))
                    .get("streamName").asText();
            assertEquals(200, Http.send("DELETE", server.httpUrl("/api/rooms/configured"), null, null).statusCode());
        }
        assertTrue(Files.readString(file).contains("\"added\""));
        try (TestServer server = TestServer.start(conf)) {
            assertEquals(key, server.server().rooms().findById("added").orElseThrow().streamName());
            assertTrue(server.server().rooms().findById("configured").isEmpty(), "a deleted configured room stays deleted");
        }
        Files.writeString(file, "{ \"version\": 1, \"rooms\": [ {\"id\": ");
        IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> TestServer.start(conf).close());
        assertTrue(refused.getMessage().contains("corrupt"), refused.getMessage());
        assertTrue(Files.readString(file).startsWith("{ \"version\": 1, \"rooms\": [ {\"id\": "), "the file was left untouched");
    }
}
