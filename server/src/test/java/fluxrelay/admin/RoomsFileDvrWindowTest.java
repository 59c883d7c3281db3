package fluxrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rooms.Room;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A room's own {@code dvrWindow} in the single node's rooms file: written, read back, absent in older files. */
class RoomsFileDvrWindowTest {

    @TempDir
    Path dir;

    @Test
    void dvrWindowRoundTripsNoneIncludedAndIsLeftOutWhenUnset() throws Exception {
        RoomsFile file = new RoomsFile(dir.resolve("rooms.json"));
        Room keynote = new Room("keynote", "Keynote", "live", "keynote-key-0123456789", false);
        Room panel = new Room("panel", "Panel", "live", "panel-key-0123456789", true);
        Room talk = new Room("talk", "Talk", "live", "talk-key-0123456789", true);
        file.save(List.of(keynote, panel, talk), Map.of("keynote", new BandwidthChoice(null, null, null, true, null, "2h"),
                "panel", new BandwidthChoice(null, null, null, true, "publish", "0s"),
                "talk", new BandwidthChoice(null, null, null, true)), List.of());
        String written = Files.readString(file.path());
        assertEquals(2, written.split("dvrWindow", -1).length - 1, "only the rooms that set it: " + written);

        Map<String, RoomSpec> read = byId(file.load());
        assertEquals("2h", read.get("keynote").dvrWindow());
        assertEquals(new BandwidthChoice(null, null, null, true, null, "2h"), read.get("keynote").bandwidth());
        assertEquals(Duration.ofHours(2), read.get("keynote").bandwidth().dvrWindowDuration());
        assertEquals(Duration.ZERO, read.get("panel").bandwidth().dvrWindowDuration(), "none, the room's own choice");
        assertEquals("publish", read.get("panel").recordStart());
        assertNull(read.get("talk").dvrWindow());
        assertNull(read.get("talk").bandwidth().dvrWindowDuration());
    }

    @Test
    void aFileWrittenBeforeDvrWindowExistedLoadsWithTheDefault() throws Exception {
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
                    "record" : true,
                    "recordStart" : "publish"
                  } ],
                  "deleted" : [ ]
                }
                """);
        RoomSpec keynote = byId(new RoomsFile(path).load()).get("keynote");
        assertNull(keynote.dvrWindow());
        assertEquals(new BandwidthChoice(null, null, null, true, "publish"), keynote.bandwidth());
    }

    @Test
    void anInvalidDvrWindowStopsTheStartNamingTheRoomAndTheField() throws Exception {
        Path path = dir.resolve("rooms.json");
        for (String bad : List.of("later", "2d", "90")) {
            Files.writeString(path, "{\"version\": 1, \"rooms\": [ {\"id\": \"keynote\", \"title\": \"Keynote\", \"app\": "
                    + "\"live\", \"streamName\": \"keynote-key-0123456789\", \"record\": true, \"dvrWindow\": \"" + bad + "\"} ]}");
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new RoomsFile(path).load(), bad);
            assertTrue(refused.getMessage().contains("'keynote'") && refused.getMessage().contains("dvrWindow"),
                    refused.getMessage());
        }
    }

    private static Map<String, RoomSpec> byId(RoomsFile.Content content) {
        return content.rooms().stream().collect(java.util.stream.Collectors.toMap(RoomSpec::id, r -> r));
    }
}
