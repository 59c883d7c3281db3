package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.stream.FeedId;
import fluxrelay.testing.BrowserPlayer;
import fluxrelay.testing.BurntInClock;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room with two inputs in headless Chromium ({@code angles.js}): the console lists the inputs with the one on air
 * marked and the room's recording; the watch page offers "Programme / main / cam2" and plays cam2 when it is chosen;
 * "Put on air" in the console switches the programme; the console adds an input (its key made by the server), gives it a
 * new key, puts it on air once an encoder publishes with that key, and removes it (the encoder is ended). axe-core finds no serious or critical violation in English or
 * French. Screenshots are left in {@code target/web-screenshots}.
 */
class WatchPageAnglesBrowserTest {

    private static final String TOKEN = "console-admin-token-0123456789";
    private static final String ROOM = "angles";
    private static final String MAIN_KEY = "angles-main-key-0123456789";
    private static final String CAM2_KEY = "angles-cam2-key-0123456789";
    private static final Path SCREENSHOTS = Path.of("target", "web-screenshots");

    @BeforeEach
    void browser() throws Exception {
        BrowserPlayer.requireReady();
    }

    @Test
    void viewersChooseTheCameraAngleAndTheConsoleSwitchesTheProgramme(@TempDir Path recordings, @TempDir Path handshake)
            throws Exception {
        try (TestServer server = TestServer.start("relay.admin.token = \"" + TOKEN + "\"\nrelay.bandwidth.required-mbps = 1\n"
                + "relay.recording { enabled = true, directory = \"" + recordings + "\", min-free = 0 }\n"
                + "relay.rooms = [ { id = " + ROOM + ", title = \"Angles\", auto-live = false, record = true, inputs = [\n"
                + "  { id = main, stream-name = \"" + MAIN_KEY + "\" }, { id = cam2, stream-name = \"" + CAM2_KEY + "\" } ] } ]");
             Ffmpeg.Run main = BurntInClock.publish(server.rtmpUrl("live", MAIN_KEY), System.currentTimeMillis(), 30)) {
            awaitPublishing(server, "main", main);
            try (Ffmpeg.Run cam2 = BurntInClock.publish(server.rtmpUrl("live", CAM2_KEY), System.currentTimeMillis(), 30)) {
                awaitPublishing(server, "cam2", cam2);
                try (Ffmpeg.Run pages = BrowserPlayer.startScript("angles.js", List.of("--base", server.httpUrl(""), "--token", TOKEN,
                        "--room", ROOM, "--screenshots", SCREENSHOTS.toAbsolutePath().toString(), "--handshake", handshake.toString()))) {
                    Path keyFile = handshake.resolve("cam3.json");
                    await().atMost(Duration.ofSeconds(120)).until(() -> Files.exists(keyFile) || !pages.alive());
                    assertTrue(Files.exists(keyFile), "the console added no input cam3: " + pages.output());
                    String cam3Key = new ObjectMapper().readTree(Files.readString(keyFile)).path("key").asText();
                    try (Ffmpeg.Run cam3 = BurntInClock.publish(server.rtmpUrl("live", cam3Key), System.currentTimeMillis(), 30)) {
                        int exit = pages.await(150);
                        JsonNode r = BrowserPlayer.lastJson(pages.output());
                        System.out.println("angles.js: " + r);
                        assertEquals(0, exit, () -> "angles.js failed: " + r.path("error").asText() + "\n" + pages.output());
                        check(r);
                        await().atMost(Duration.ofSeconds(10)).until(() -> !cam3.alive());
                        assertTrue(cam3.output().contains("input was removed"), "the removed input's encoder was ended: "
                                + cam3.output());
                        assertTrue(server.server().streams().find(new FeedId(ROOM, "cam3")).isEmpty(), "its hub is gone");
                    }
                }
            }
        }
    }

    private static void awaitPublishing(TestServer server, String input, Ffmpeg.Run encoder) {
        await().atMost(Duration.ofSeconds(20)).until(() -> server.server().streams().find(new FeedId(ROOM, input))
                .map(stream -> stream.snapshot().publishing()).orElse(false) || !encoder.alive());
        assertTrue(encoder.alive(), "the encoder was refused: " + encoder.output());
    }

    private static void check(JsonNode r) {
        JsonNode inputs = r.path("inputs");
        assertEquals(2, inputs.size(), r.toString());
        assertEquals("main", inputs.path(0).path("id").asText());
        assertTrue(inputs.path(0).path("onAir").asBoolean(), "main went live first, so it is on air: " + inputs);
        assertTrue(inputs.path(0).path("text").asText().contains(MAIN_KEY), "the console shows each input's key: " + inputs);
        assertFalse(inputs.path(1).path("onAir").asBoolean(), inputs.toString());
        assertTrue(r.path("recordings").path(0).asText().contains("Recording"), "the room's recording is listed: " + r);

        assertEquals(List.of("Programme (main on air)", "main", "cam2"), texts(r.path("angleLabels")));
        assertTrue(r.path("programmeChecked").asBoolean(), "the programme is the default: " + r);
        assertEquals("/hls/angles/ll.m3u8", r.path("programmeSource").asText());
        assertEquals("/hls/angles/cam2/ll.m3u8", r.path("cam2Source").asText());
        assertTrue(r.path("cam2FramesAdvanced").asInt() > 30, "cam2's frames were presented: " + r);
        assertTrue(r.path("cam2TimeAdvanced").asDouble() > 1.5, "cam2's position advanced: " + r);

        assertTrue(r.path("switchNotice").asText().matches("cam2 (is on air|goes on air at its next keyframe)\\."), r.toString());
        assertEquals("Programme: main → cam2 (by an operator)", r.path("switchEvent").asText());
        assertEquals("Programme (cam2 on air)", r.path("programmeLabelAfter").asText());
        assertTrue(texts(r.path("frenchEvents")).stream().anyMatch(e -> e.equals("Programme : main → cam2 (par un opérateur)")),
                r.toString());
        assertEquals(List.of("Programme (main à l’antenne)", "main", "cam2"), texts(r.path("frenchAngleLabels")),
                "cam3 removed while on air: the programme failed over to the main input");

        String added = r.path("addedKey").asText();
        String rotated = r.path("rotatedKey").asText();
        assertTrue(added.length() >= 16 && rotated.length() >= 16 && !added.equals(rotated), r.toString());
        assertEquals("Input cam3 added. Its stream key: " + added, r.path("addNotice").asText());
        assertEquals("New key for cam3: " + rotated + " (paste it into that encoder)", r.path("rotateNotice").asText());
        assertTrue(r.path("cam3SwitchNotice").asText().matches("cam3 (is on air|goes on air at its next keyframe)\\."), r.toString());
        assertEquals("Input cam3 removed.", r.path("removeNotice").asText());
        assertEquals("main", r.path("onAirAfterRemoval").asText(), "the programme failed over from cam3 to the main input: " + r);
        assertEquals(List.of("cam3: input removed", "cam3: new stream key", "cam3: input added"), texts(r.path("inputEvents")));
        assertEquals(List.of("Make a new stream key for cam3? The encoder using the current one is disconnected.",
                "Remove the input cam3? Its encoder is disconnected; if it is on air, the programme goes to another input."),
                texts(r.path("dialogs")), "each was confirmed first");

        assertEquals(8, r.path("axe").size(), "every state was checked: " + r.path("axe"));
        r.path("axe").fields().forEachRemaining(state -> assertEquals(0, state.getValue().size(),
                "axe-core: serious or critical violations in " + state.getKey() + ": " + state.getValue()));
        for (JsonNode line : r.path("console")) {
            assertTrue(line.asText().contains("Failed to load resource"), "script error: " + line);
        }
        for (JsonNode failed : r.path("failed")) {
            assertTrue(failed.asText().equals("console: 401 /api/rooms") || failed.asText().matches("(watch|console): 404 /hls/angles/.*"),
                    "unexpected failed request " + failed + ": " + r);
        }
    }

    private static List<String> texts(JsonNode array) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
