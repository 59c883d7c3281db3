package fluxrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.ingest.LocalRoomLocator;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room's own {@code recordStart} through {@link RoomAdmin}: checked, kept, shown with whether it is the room's own,
 * reset with null, refused without a recorder, and handed to the recorder as the start it resolves to.
 */
class RoomRecordStartTest {

    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("panel", "Panel", "live",
            "panel-key-0123456789", false)));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(64 * 1024, 64));
    private final RoomAdmin admin = new RoomAdmin(rooms, streams, new LocalRoomLocator(streams), null, Runnable::run, room -> { },
            8, BandwidthRegistry.disabled(), Map.of());
    /** What the recorder was told: room id and the start, publish or go-live. */
    private final List<String> applied = new CopyOnWriteArrayList<>();

    /** A recorder whose default start is go-live, but publish for the config room {@code panel}. */
    private final RoomRecording recording = new RoomRecording() {
        @Override
        public boolean recordsByDefault(String roomId) {
            return true;
        }

        @Override
        public boolean startsAtPublishByDefault(String roomId) {
            return roomId.equals("panel");
        }

        @Override
        public java.time.Duration dvrWindowByDefault(String roomId) {
            return java.time.Duration.ZERO;
        }

        @Override
        public java.time.Duration shortestDvrWindow() {
            return java.time.Duration.ofSeconds(6);
        }

        @Override
        public void apply(Room room, boolean record, boolean fromPublish, java.time.Duration dvrWindow) {
            applied.add(room.id() + " " + (fromPublish ? "publish" : "go-live"));
        }
    };

    @AfterEach
    void close() {
        streams.close();
    }

    private static RoomSpec create(String id, String recordStart) {
        return new RoomSpec(id, null, null, id + "-key-0123456789", false, null, null, null, null, null, null, null, null,
                recordStart);
    }

    private static RoomSpec patch(String recordStart) {
        return new RoomSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, recordStart);
    }

    @Test
    void aRoomsOwnStartIsKeptShownAndHandedToTheRecorderUntilResetWithNull() {
        admin.recordWith(recording);
        assertEquals(List.of("panel publish"), applied, "the config room's own default");
        Map<String, Object> panel = admin.get("panel");
        assertEquals("publish", panel.get("recordStart"));
        assertEquals(false, panel.get("recordStartOwn"));

        Map<String, Object> keynote = admin.create(create("keynote", " PUBLISH "), "test").join();
        assertEquals("publish", keynote.get("recordStart"));
        assertEquals(true, keynote.get("recordStartOwn"));
        assertEquals("publish", admin.own("keynote").recordStart(), "stored as spelled in the API");
        assertEquals("keynote publish", applied.get(applied.size() - 1));

        Map<String, Object> untouched = admin.update("keynote", new RoomSpec(null, "Keynote", null, null, null, null, null,
                null), "test").join();
        assertEquals("publish", untouched.get("recordStart"), "a PATCH without it keeps it");

        Map<String, Object> reset = admin.update("keynote", patch(null), Set.of("recordStart"), "test").join();
        assertEquals("go-live", reset.get("recordStart"), "relay.recording.start again");
        assertEquals(false, reset.get("recordStartOwn"));
        assertNull(admin.own("keynote").recordStart());
        assertEquals("keynote go-live", applied.get(applied.size() - 1));

        Map<String, Object> own = admin.update("panel", patch("go-live"), "test").join();
        assertEquals("go-live", own.get("recordStart"), "the room's own over the config room's");
        assertEquals(true, own.get("recordStartOwn"));
        assertEquals("panel go-live", applied.get(applied.size() - 1));
        assertEquals("publish", admin.update("panel", patch(null), Set.of("recordStart"), "test").join().get("recordStart"));
    }

    @Test
    void anotherValueIsRefusedNamingTheFieldAndTheAllowedValues() {
        admin.recordWith(recording);
        AdminException bad = assertThrows(AdminException.class, () -> admin.create(create("keynote", "later"), "test"));
        assertEquals(400, bad.status());
        assertEquals("recordStart", bad.field());
        assertTrue(bad.getMessage().contains("publish or go-live"), bad.getMessage());
        assertThrows(AdminException.class, () -> admin.update("panel", patch("go_live"), "test"));
        assertEquals(false, admin.get("panel").get("recordStartOwn"), "nothing was changed");

        AdminException other = assertThrows(AdminException.class, () -> admin.update("panel", patch(null), Set.of("title"), "test"));
        assertEquals("title", other.field(), "only the resettable settings take null");
    }

    @Test
    void aServerThatRecordsNothingRefusesItLikeRecordTrue() {
        AdminException refused = assertThrows(AdminException.class, () -> admin.create(create("keynote", "publish"), "test"));
        assertEquals(400, refused.status());
        assertEquals("recordStart", refused.field());
        assertTrue(refused.getMessage().contains("relay.recording.enabled"), refused.getMessage());
        Map<String, Object> plain = admin.create(create("keynote", null), "test").join();
        assertNull(plain.get("recordStart"));
        assertFalse((Boolean) plain.get("recordStartOwn"));
    }
}
