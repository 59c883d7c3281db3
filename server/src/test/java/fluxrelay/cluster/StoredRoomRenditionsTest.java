package fluxrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.admin.BandwidthChoice;
import fluxrelay.config.LadderRungConfig;
import fluxrelay.config.RenditionInputConfig;
import fluxrelay.rooms.Room;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A room's rendition stream names and ladder in the shared store's JSON, so every node holds the same room. */
class StoredRoomRenditionsTest {

    private static final Room ROOM = new Room("gala", "Gala", "live", "gala-key-0123456789", true);

    @Test
    void renditionsAndLadderRoundTripAndARoomWithoutThemWritesNeither() {
        Room room = ROOM.withRenditions(List.of(new RenditionInputConfig("480p", "gala-480p-0123456789")))
                .withLadder(List.of(new LadderRungConfig("360p", 360, 800, 96), new LadderRungConfig("240p", 240, 400, 64)));
        String json = StoredRoom.of(room, BandwidthChoice.NONE).json();
        assertEquals(room, StoredRoom.parse(json).room(), json);

        String plain = StoredRoom.of(ROOM, BandwidthChoice.NONE).json();
        assertFalse(plain.contains("renditions") || plain.contains("ladder"), plain);
        assertEquals(ROOM, StoredRoom.parse(plain).room());
    }

    @Test
    void aStoredLadderBreakingTheRulesIsRefused() {
        String base = StoredRoom.of(ROOM, BandwidthChoice.NONE).json();
        String odd = base.replace("\"autoLive\"", "\"ladder\":[{\"id\":\"361p\",\"height\":361,\"videoKbps\":800}],\"autoLive\"");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StoredRoom.parse(odd)).getMessage().contains("even"));
        String sameId = base.replace("\"autoLive\"", "\"renditions\":[{\"id\":\"360p\",\"streamName\":\"gala-360p-0123456789\"}],"
                + "\"ladder\":[{\"id\":\"360p\",\"height\":360,\"videoKbps\":800}],\"autoLive\"");
        assertThrows(IllegalArgumentException.class, () -> StoredRoom.parse(sameId));
    }
}
