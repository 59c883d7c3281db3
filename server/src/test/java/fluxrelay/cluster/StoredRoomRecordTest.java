package fluxrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import fluxrelay.admin.BandwidthChoice;
import fluxrelay.rooms.Room;
import org.junit.jupiter.api.Test;

/** A room's own {@code record} in the shared store: kept when set, absent (the server default) when not. */
class StoredRoomRecordTest {

    private static final Room ROOM = new Room("keynote", "Keynote", "live", "keynote-key-0123456789", false);

    @Test
    void recordIsKeptWhenSetAndLeftOutWhenNot() {
        String json = StoredRoom.of(ROOM, new BandwidthChoice(null, null, null, false)).json();
        assertEquals(Boolean.FALSE, StoredRoom.parse(json).own().record(), json);
        String unset = StoredRoom.of(ROOM, BandwidthChoice.NONE).json();
        assertFalse(unset.contains("record"), unset);
        assertNull(StoredRoom.parse(unset).own().record());
        assertEquals(ROOM, StoredRoom.parse(json).room());
    }
}
