package fluxrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rooms.Room;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A room's own {@code recordStart} in the single node's rooms file: written, read back, absent in older files. */
class RoomsFileRecordStartTest {

    @TempDir
    Path dir;

    @Test
    void recordStartRoundTripsAndIsLeftOutWhenUnset() throws Exception {
        RoomsFile file = new RoomsFile(dir.resolve("rooms.json"));
        Room keynote = new Room("keynote", "Keynote", "live", "keynote-key-0123456789", false);
        Room panel = new Room("panel", "Panel", "live", "panel-key-0123456789", true);
        file.save(List.of(keynote, panel), Map.of("keynote", new BandwidthChoice(null, null, null, true, "publish"),
                "panel", new BandwidthChoice(null, null, null, false)), List.of());
        String written = Files.readString(file.path());
        assertEquals(1, written.split("recordStart", -1).length - 1, "only the room that sets it: " + written);

        Map<String, RoomSpec> read = byId(file.load());
        assertEquals("publish", read.get("keynote").recordStart());
        assertEquals(new BandwidthChoice(null, null, null, true, "publish"), read.get("keynote").bandwidth());
        assertNull(read.get("panel").recordStart());
    }

    @Test
    void aFileWrittenBeforeRecordStartExistedLoadsWithTheDefault() throws Exception {
        Path path = dir.resolve("rooms.json");
        Files.writeString(path, """
                {
                  "version" : 1,
                  "rooms" : [ {
                    "id" : "keynote",
                    "title" : "Keynote",
                    "app" : "live",
                    "streamName" : "keynote-key-0123456789",
                    "autoLive" : false,
                    "requiredMbps" : null,
                    "bandwidthPolicy" : null,
                    "record" : true
                  } ],
                  "deleted" : [ ]
                }
                """);
        RoomSpec keynote = byId(new RoomsFile(path).load()).get("keynote");
        assertNull(keynote.recordStart());
        assertEquals(Boolean.TRUE, keynote.record());
        assertFalse(keynote.bandwidth().isEmpty());
    }

    @Test
    void anInvalidRecordStartStopsTheStartNamingTheRoomAndTheField() throws Exception {
        Path path = dir.resolve("rooms.json");
        Files.writeString(path, "{\"version\": 1, \"rooms\": [ {\"id\": \"keynote\", \"title\": \"Keynote\", \"app\": \"live\", "
                + "\"streamName\": \"keynote-key-0123456789\", \"recordStart\": \"later\"} ]}");
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new RoomsFile(path).load());
        assertTrue(refused.getMessage().contains("'keynote'") && refused.getMessage().contains("recordStart"),
                refused.getMessage());
    }

    private static Map<String, RoomSpec> byId(RoomsFile.Content content) {
        return content.rooms().stream().collect(java.util.stream.Collectors.toMap(RoomSpec::id, r -> r));
    }
}
