package fluxrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.admin.BandwidthChoice;
import fluxrelay.rooms.Room;
import org.junit.jupiter.api.Test;

/**
 * A room's own {@code record}, {@code recordStart} and {@code dvrWindow} in the shared store: kept when set, absent
 * (the server default) when not, and a value stored before {@code recordStart} or {@code dvrWindow} existed still read.
 */
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

    @Test
    void recordStartIsKeptWhenSetAndAnOlderValueWithoutItFollowsTheDefault() {
        String json = StoredRoom.of(ROOM, new BandwidthChoice(null, null, null, true, BandwidthChoice.PUBLISH)).json();
        assertEquals(new BandwidthChoice(null, null, null, true, "publish"), StoredRoom.parse(json).own(), json);
        String unset = StoredRoom.of(ROOM, new BandwidthChoice(null, null, null, true)).json();
        assertFalse(unset.contains("recordStart"), unset);

        String older = "{\"id\":\"keynote\",\"title\":\"Keynote\",\"app\":\"live\",\"inputs\":[{\"id\":\"main\","
                + "\"streamName\":\"keynote-key-0123456789\"}],\"autoLive\":false,\"record\":true}";
        StoredRoom read = StoredRoom.parse(older);
        assertNull(read.own().recordStart());
        assertEquals(Boolean.TRUE, read.own().record());
        assertEquals(ROOM, read.room());
        assertThrows(IllegalArgumentException.class, () -> StoredRoom.parse(older.replace("\"record\":true",
                "\"recordStart\":\"later\"")));
    }

    @Test
    void dvrWindowIsKeptInMillisecondsWhenSetAndAnOlderValueWithoutItFollowsTheDefault() {
        String json = StoredRoom.of(ROOM, new BandwidthChoice(null, null, null, true, null, "90s")).json();
        assertTrue(json.contains("\"dvrWindowMs\":90000"), json);
        assertEquals(new BandwidthChoice(null, null, null, true, null, "90s"), StoredRoom.parse(json).own(), json);
        String none = StoredRoom.of(ROOM, new BandwidthChoice(null, null, null, true, null, "0s")).json();
        assertEquals("0s", StoredRoom.parse(none).own().dvrWindow(), "none, the room's own choice");
        String unset = StoredRoom.of(ROOM, new BandwidthChoice(null, null, null, true, "publish")).json();
        assertFalse(unset.contains("dvrWindow"), unset);

        String older = "{\"id\":\"keynote\",\"title\":\"Keynote\",\"app\":\"live\",\"inputs\":[{\"id\":\"main\","
                + "\"streamName\":\"keynote-key-0123456789\"}],\"autoLive\":false,\"record\":true,\"recordStart\":\"publish\"}";
        StoredRoom read = StoredRoom.parse(older);
        assertNull(read.own().dvrWindow());
        assertEquals(new BandwidthChoice(null, null, null, true, "publish"), read.own());
        assertThrows(IllegalArgumentException.class, () -> StoredRoom.parse(older.replace("\"record\":true",
                "\"dvrWindowMs\":-1")));
        assertThrows(IllegalArgumentException.class, () -> StoredRoom.parse(older.replace("\"record\":true",
                "\"dvrWindowMs\":" + (java.time.Duration.ofHours(25).toMillis()))));
    }
}
