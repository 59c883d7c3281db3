package fluxrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import fluxrelay.admin.BandwidthChoice;
import fluxrelay.rooms.ProgramSettings;
import fluxrelay.rooms.Room;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A room's own program switching settings in the shared store's JSON. */
class StoredRoomTest {

    @Test
    void aRoomsProgramSettingsRoundTripAndAnOlderValueFollowsTheDefaults() {
        Room room = new Room("gala", "Gala", "live", "gala-key-0123456789", true)
                .withProgram(new ProgramSettings(Duration.ofMillis(2500), Duration.ofSeconds(30), false));
        String json = StoredRoom.of(room, BandwidthChoice.NONE).json();
        assertEquals(room.program(), StoredRoom.parse(json).room().program(), json);

        String plain = StoredRoom.of(room.withProgram(ProgramSettings.NONE), BandwidthChoice.NONE).json();
        assertFalse(plain.contains("failover"), "unset settings are not written: " + plain);
        String older = "{\"id\":\"gala\",\"title\":\"Gala\",\"app\":\"live\",\"inputs\":[{\"id\":\"main\","
                + "\"streamName\":\"gala-key-0123456789\"}],\"autoLive\":true}";
        assertEquals(ProgramSettings.NONE, StoredRoom.parse(older).room().program());
        assertThrows(IllegalArgumentException.class, () -> StoredRoom.parse(older.replace("}],", "}],\"failback\":\"never\",")));
        assertThrows(IllegalArgumentException.class, () -> StoredRoom.parse(older.replace("}],", "}],\"failoverAfterMs\":0,")));
    }
}
