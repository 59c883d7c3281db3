package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static RelayConfig load(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return new ConfigLoader(() -> "generatedkey").from(config);
    }

    @Test
    void defaultsGiveTheDocumentedPortsAndADemoRoomWithAGeneratedKey() {
        RelayConfig config = load("");
        assertEquals(1935, config.rtmp().port());
        assertEquals(8080, config.http().port());
        assertEquals(4096, config.rtmp().chunkSize());
        assertNotNull(config.demoRoom());
        assertEquals("demo", config.demoRoom().id());
        assertEquals("live", config.demoRoom().app());
        assertEquals("generatedkey", config.demoRoom().streamName());
        assertEquals(1, config.rooms().size());
    }

    @Test
    void hlsDefaultsAndLimitsNameTheKey() {
        HlsConfig hls = load("").hls();
        assertTrue(hls.enabled());
        assertEquals(java.time.Duration.ofSeconds(2), hls.targetDuration());
        assertEquals(6, hls.window());
        assertEquals(java.time.Duration.ofSeconds(1), hls.playlistMaxAge());
        assertEquals("", hls.directory());
        assertTrue(hls.threads() >= 1, "0 resolves to half the cores, at least one");
        assertEquals(3, load("relay.hls.threads = 3").hls().threads());
        ConfigException age = assertThrows(ConfigException.class, () -> load("relay.hls.playlist-max-age = 2s"));
        assertTrue(age.getMessage().startsWith("relay.hls.playlist-max-age"), age.getMessage());
        ConfigException window = assertThrows(ConfigException.class, () -> load("relay.hls.window = 2"));
        assertTrue(window.getMessage().startsWith("relay.hls.window"), window.getMessage());
        ConfigException target = assertThrows(ConfigException.class, () -> load("relay.hls.target-duration = 100ms"));
        assertTrue(target.getMessage().startsWith("relay.hls.target-duration"), target.getMessage());
    }

    @Test
    void generatedStreamNamesAreLongRandomAndValid() {
        String a = StreamNames.generate();
        String b = StreamNames.generate();
        assertEquals(24, a.length());
        assertFalse(a.equals(b));
        assertTrue(StreamNames.isValid(a));
    }

    @Test
    void roomsAreReadWithDefaultsForAppAndAutoLive() {
        RelayConfig config = load("relay.demo-room.enabled = false\n"
                + "relay.rooms = [ { id = keynote, title = \"Keynote\", stream-name = \"k-1\" },"
                + " { id = ws, app = events, stream-name = \"k-2\", auto-live = false, hls = TS } ]");
        assertEquals(2, config.rooms().size());
        RoomConfig keynote = config.rooms().get(0);
        assertNull(keynote.hls(), "no hls key: the relay.hls.fmp4 default applies");
        assertEquals("ts", config.rooms().get(1).hls());
        assertEquals("live", keynote.app());
        assertTrue(keynote.autoLive());
        assertFalse(config.rooms().get(1).autoLive());
        assertEquals("events", config.rooms().get(1).app());
    }

    @Test
    void roomToStringNeverShowsTheStreamName() {
        RelayConfig config = load("relay.demo-room.stream-name = topsecret");
        assertFalse(config.demoRoom().toString().contains("topsecret"));
    }

    @Test
    void errorsNameTheKey() {
        assertMessage("relay.rtmp.port", "relay.rtmp.port = 70000");
        assertMessage("relay.rtmp.chunk-size", "relay.rtmp.chunk-size = 10");
        assertMessage("relay.rooms[0].stream-name", "relay.rooms = [ { id = a } ]");
        assertMessage("relay.rooms[0].id", "relay.rooms = [ { id = \"../x\", stream-name = k } ]");
        assertMessage("relay.rooms[0].stream-name", "relay.rooms = [ { id = a, stream-name = \"with space\" } ]");
        assertMessage("declared twice", "relay.rooms = [ { id = a, stream-name = k1 }, { id = a, stream-name = k2 } ]");
        assertMessage("reuses the stream name", "relay.rooms = [ { id = a, stream-name = k }, { id = b, stream-name = k } ]");
        assertMessage("relay.http.port", "relay.http.port = 1935");
        assertMessage("relay.rtmp.handshake-timeout", "relay.rtmp.handshake-timeout = 0s");
        assertMessage("relay.stream.flush-interval", "relay.stream.flush-interval = 5s");
        assertMessage("relay.stream.flush-interval-max", "relay.stream.flush-interval-max = 5ms");
        assertMessage("relay.stream.flushes-per-second", "relay.stream.flushes-per-second = -1");
        assertMessage("relay.stream.max-timestamp-jump", "relay.stream.max-timestamp-jump = 100ms");
        assertMessage("relay.rooms[0].hls", "relay.rooms = [ { id = a, stream-name = k, hls = dash } ]");
    }

    @Test
    void aFileOverridesTheDefaults(@TempDir Path dir) throws Exception {
        File file = dir.resolve("my.conf").toFile();
        Files.writeString(file.toPath(), "relay.rtmp.port = 11935\nrelay.demo-room.stream-name = fixed-key\n");
        RelayConfig config = new ConfigLoader().load(file);
        assertEquals(11935, config.rtmp().port());
        assertEquals("fixed-key", config.demoRoom().streamName());
    }

    @Test
    void aMissingOrBrokenFileIsAClearError(@TempDir Path dir) throws Exception {
        ConfigException missing = assertThrows(ConfigException.class, () -> new ConfigLoader().load(dir.resolve("nope.conf").toFile()));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        File broken = dir.resolve("broken.conf").toFile();
        Files.writeString(broken.toPath(), "relay { rtmp.port = \n");
        ConfigException bad = assertThrows(ConfigException.class, () -> new ConfigLoader().load(broken));
        assertTrue(bad.getMessage().contains("broken.conf"), bad.getMessage());
    }

    private static void assertMessage(String expected, String hocon) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(hocon));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
