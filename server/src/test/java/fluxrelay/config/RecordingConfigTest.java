package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code relay.recording} and the rooms' {@code record} and {@code dvr-window} keys: defaults, overrides, ranges, typos. */
class RecordingConfigTest {

    private static RelayConfig load(String text) {
        return new ConfigLoader(() -> "generated-key-0123456789").from(ConfigFactory.parseString(text)
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    private static RoomConfig room(RelayConfig config, String id) {
        return config.rooms().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void recordingIsOffByDefaultAndTheDemoRoomNeverRecordsUnlessItSaysSo() {
        RelayConfig config = load("relay.recording.enabled = true");
        RecordingConfig recording = config.recording();
        assertTrue(recording.enabled());
        assertEquals("recordings", recording.directory());
        assertEquals(Duration.ofSeconds(30), recording.grace());
        assertEquals(Duration.ofSeconds(1), recording.fragment());
        assertEquals(2L << 30, recording.minFreeBytes());
        assertEquals(0, recording.maxTotalBytes());
        assertEquals(Duration.ZERO, recording.maxAge());
        assertEquals(Duration.ofHours(24), recording.replayTtl());
        assertFalse(recording.records(config.demoRoom()), "the demo room records only when told to");
        assertFalse(load("").recording().enabled());
        RelayConfig demo = load("relay.demo-room.record = true");
        assertTrue(demo.recording().records(demo.demoRoom()));
    }

    @Test
    void aRoomsOwnRecordKeyOverridesTheDefault() {
        RelayConfig config = load("""
                relay.recording.enabled = true
                relay.rooms = [
                  { id = "keynote", stream-name = "keynote-4f9a2c7e1b8d", record = false },
                  { id = "talks", stream-name = "talks-4f9a2c7e1b8d5a" },
                  { id = "panel", stream-name = "panel-4f9a2c7e1b8d5a", record = true } ]
                """);
        assertFalse(config.recording().records(room(config, "keynote")));
        assertNull(room(config, "talks").record());
        assertTrue(config.recording().records(room(config, "talks")));
        RelayConfig off = load("relay.rooms = [ { id = \"panel\", stream-name = \"panel-4f9a2c7e1b8d5a\", record = true } ]");
        assertTrue(off.recording().records(room(off, "panel")));
        assertFalse(off.recording().enabled());
    }

    @Test
    void valuesOutOfRangeAndTyposAreRefusedByName() {
        assertEquals("relay.recording.fragment: must be between 100ms and 30s, got PT1M",
                assertThrows(ConfigException.class, () -> load("relay.recording.fragment = 60s")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.recording.min-free = lots")).getMessage()
                .startsWith("relay.recording.min-free: must be a size in bytes"));
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.recording.directory = \"/etc\"")).getMessage()
                .startsWith("relay.recording.directory: '/etc' is a system directory"));
        assertTrue(assertThrows(ConfigException.class,
                () -> load("relay.rooms = [ { id = \"panel\", stream-name = \"panel-4f9a2c7e1b8d5a\", recrod = true } ]"))
                .getMessage().contains("recrod"));
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.recording.grase = 10s")).getMessage()
                .contains("relay.recording.grase"));
        assertEquals("relay.recording.start: must be publish or go-live, got 'golive'",
                assertThrows(ConfigException.class, () -> load("relay.recording.start = golive")).getMessage());
    }

    @Test
    void aRecordingStartsAtGoLiveUnlessToldToStartAtThePublish() {
        assertEquals(RecordingConfig.Start.GO_LIVE, load("").recording().start());
        assertEquals(RecordingConfig.Start.PUBLISH, load("relay.recording.start = publish").recording().start());
        assertEquals(RecordingConfig.Start.GO_LIVE, load("relay.recording.start = GO-LIVE").recording().start());
        RelayConfig rooms = load("""
                relay.recording.start = publish
                relay.demo-room.record-start = go-live
                relay.rooms = [
                  { id = "keynote", stream-name = "keynote-4f9a2c7e1b8d", record-start = go-live },
                  { id = "talks", stream-name = "talks-4f9a2c7e1b8d5a" } ]
                """);
        assertEquals(RecordingConfig.Start.GO_LIVE, rooms.recording().start(room(rooms, "keynote")));
        assertEquals(RecordingConfig.Start.PUBLISH, rooms.recording().start(room(rooms, "talks")));
        assertEquals(RecordingConfig.Start.GO_LIVE, rooms.recording().start(rooms.demoRoom()));
        assertTrue(assertThrows(ConfigException.class,
                () -> load("relay.rooms = [ { id = \"k\", stream-name = \"keynote-4f9a2c7e1b8d\", record-start = later } ]"))
                .getMessage().endsWith("record-start: must be publish or go-live, got 'later'"));
    }

    @Test
    void aLiveDvrWindowIsOffByDefaultAndOnlyForRoomsThatRecord() {
        assertEquals(Duration.ZERO, load("").recording().dvrWindow());
        RelayConfig rooms = load("""
                relay.recording { enabled = true, dvr-window = 2h }
                relay.demo-room { record = true, dvr-window = 0s }
                relay.rooms = [
                  { id = "keynote", stream-name = "keynote-4f9a2c7e1b8d", dvr-window = 10m },
                  { id = "talks", stream-name = "talks-4f9a2c7e1b8d5a" } ]
                """);
        assertEquals(Duration.ofMinutes(10), rooms.recording().dvrWindow(room(rooms, "keynote")));
        assertEquals(Duration.ofHours(2), rooms.recording().dvrWindow(room(rooms, "talks")));
        assertEquals(Duration.ZERO, rooms.recording().dvrWindow(rooms.demoRoom()));
        // The window is served from the recording: a room that does not record cannot have one.
        assertEquals("relay.rooms[0].dvr-window: room k does not record (record = false, or relay.recording.enabled = false "
                        + "without record = true); a live DVR window is served from the recording",
                assertThrows(ConfigException.class, () -> load(
                        "relay.rooms = [ { id = \"k\", stream-name = \"keynote-4f9a2c7e1b8d\", dvr-window = 1h } ]")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.demo-room.dvr-window = 1h")).getMessage()
                .startsWith("relay.demo-room.dvr-window: room demo does not record"));
        // The default applies to recording rooms only: with recording off it refuses nothing.
        assertEquals(Duration.ofHours(1), load("relay.recording.dvr-window = 1h").recording().dvrWindow());
        // At least three target durations (twice the fragment, rounded up), at most a day.
        assertEquals("relay.recording.dvr-window: must be 0s (off) or between 6s (three times twice relay.recording.fragment) "
                + "and 24h, got PT5S", assertThrows(ConfigException.class, () -> load("relay.recording.dvr-window = 5s")).getMessage());
        assertEquals(Duration.ofSeconds(6), load("relay.recording.dvr-window = 6s").recording().dvrWindow());
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.recording { fragment = 2s, dvr-window = 10s }"))
                .getMessage().contains("between 12s"));
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.recording.dvr-window = 25h")).getMessage()
                .startsWith("relay.recording.dvr-window: must be 0s (off)"));
        assertTrue(assertThrows(ConfigException.class, () -> load(
                "relay.rooms = [ { id = \"k\", stream-name = \"keynote-4f9a2c7e1b8d\", record = true, dvr-window = 1s } ]"))
                .getMessage().startsWith("relay.rooms[0].dvr-window: must be 0s (off)"));
    }
}
