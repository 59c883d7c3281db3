package fluxrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.ingest.LocalRoomLocator;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A room's own {@code dvrWindow} through {@link RoomAdmin}: checked against the recorder's range, kept in one spelling,
 * shown with whether it is the room's own, reset with null, refused on a room that does not record and on a server
 * without a recorder, and handed to the recorder as the window it resolves to.
 */
class RoomDvrWindowTest {

    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("panel", "Panel", "live",
            "panel-key-0123456789", false)));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(64 * 1024, 64));
    private final RoomAdmin admin = new RoomAdmin(rooms, streams, new LocalRoomLocator(streams), null, Runnable::run, room -> { },
            8, BandwidthRegistry.disabled(), Map.of());
    /** What the recorder was told: room id, whether it records, and the window. */
    private final List<String> applied = new CopyOnWriteArrayList<>();

    /** A recorder that records every room and serves no window by default, but 2 h for the config room {@code panel}. */
    private final RoomRecording recording = new RoomRecording() {
        @Override
        public boolean recordsByDefault(String roomId) {
            return true;
        }

        @Override
        public boolean startsAtPublishByDefault(String roomId) {
            return false;
        }

        @Override
        public Duration dvrWindowByDefault(String roomId) {
            return roomId.equals("panel") ? Duration.ofHours(2) : Duration.ZERO;
        }

        @Override
        public Duration shortestDvrWindow() {
            return Duration.ofSeconds(6);
        }

        @Override
        public void apply(Room room, boolean record, boolean fromPublish, Duration dvrWindow) {
            applied.add(room.id() + (record ? " records " : " off ") + dvrWindow.toSeconds() + "s");
        }
    };

    @AfterEach
    void close() {
        streams.close();
    }

    private static RoomSpec create(String id, Boolean record, String dvrWindow) {
        return new RoomSpec(id, null, null, id + "-key-0123456789", false, null, null, null, null, record, null, null, null,
                null, dvrWindow);
    }

    private static RoomSpec patch(Boolean record, String dvrWindow) {
        return new RoomSpec(null, null, null, null, null, null, null, null, null, record, null, null, null, null, dvrWindow);
    }

    private String last() {
        return applied.get(applied.size() - 1);
    }

    @Test
    void aRoomsOwnWindowIsKeptInOneSpellingShownAndHandedToTheRecorderUntilResetWithNull() {
        admin.recordWith(recording);
        assertEquals(List.of("panel records 7200s"), applied, "the config room's own default");
        Map<String, Object> panel = admin.get("panel");
        assertEquals("2h", panel.get("dvrWindow"));
        assertEquals(false, panel.get("dvrWindowOwn"));

        Map<String, Object> keynote = admin.create(create("keynote", null, " 90 Seconds "), "test").join();
        assertEquals("90s", keynote.get("dvrWindow"));
        assertEquals(true, keynote.get("dvrWindowOwn"));
        assertEquals("90s", admin.own("keynote").dvrWindow(), "stored as the view spells it");
        assertEquals("keynote records 90s", last());

        Map<String, Object> untouched = admin.update("keynote", new RoomSpec(null, "Keynote", null, null, null, null, null,
                null), "test").join();
        assertEquals("90s", untouched.get("dvrWindow"), "a PATCH without it keeps it");
        assertEquals("90m", admin.update("keynote", patch(null, "1.5h"), "test").join().get("dvrWindow"), "in whole minutes");
        assertEquals("keynote records 5400s", last());

        Map<String, Object> off = admin.update("keynote", patch(null, "0s"), "test").join();
        assertEquals("0s", off.get("dvrWindow"), "none, as the room's own choice");
        assertEquals(true, off.get("dvrWindowOwn"));
        assertEquals("keynote records 0s", last());

        Map<String, Object> reset = admin.update("keynote", patch(null, null), Set.of("dvrWindow"), "test").join();
        assertEquals("0s", reset.get("dvrWindow"), "relay.recording.dvr-window again");
        assertEquals(false, reset.get("dvrWindowOwn"));
        assertNull(admin.own("keynote").dvrWindow());

        assertEquals("8s", admin.update("panel", patch(null, "8000ms"), "test").join().get("dvrWindow"),
                "the room's own over the config room's");
        assertEquals("panel records 8s", last());
        Map<String, Object> panelReset = admin.update("panel", patch(null, null), Set.of("dvrWindow"), "test").join();
        assertEquals("2h", panelReset.get("dvrWindow"));
        assertEquals("panel records 7200s", last());
    }

    @Test
    void anotherValueIsRefusedNamingTheFieldAndTheRange() {
        admin.recordWith(recording);
        for (String bad : List.of("5s", "25h", "2d", "90", "-8s", "soon", "8 parsecs", "")) {
            AdminException refused = assertThrows(AdminException.class, () -> admin.create(create("keynote", null, bad), "test"),
                    bad);
            assertEquals(400, refused.status());
            assertEquals("dvrWindow", refused.field());
            assertTrue(refused.getMessage().contains("0s (off)") && refused.getMessage().contains("from 6s")
                    && refused.getMessage().contains("24h"), refused.getMessage());
        }
        assertEquals("24h", admin.create(create("keynote", null, "1d"), "test").join().get("dvrWindow"), "the longest");
        assertEquals("6s", admin.update("keynote", patch(null, "6s"), "test").join().get("dvrWindow"), "the shortest");
        assertThrows(AdminException.class, () -> admin.update("keynote", patch(null, "3s"), "test"));
        assertEquals("6s", admin.get("keynote").get("dvrWindow"), "nothing was changed");
    }

    @Test
    void aRoomThatDoesNotRecordIsRefusedAWindowAsTheConfigFileRefusesIt() {
        admin.recordWith(recording);
        AdminException refused = assertThrows(AdminException.class,
                () -> admin.create(create("keynote", false, "8s"), "test"));
        assertEquals("dvrWindow", refused.field());
        assertTrue(refused.getMessage().contains("does not record"), refused.getMessage());
        assertEquals("0s", admin.create(create("keynote", false, "0s"), "test").join().get("dvrWindow"), "none is fine");

        admin.create(create("talk", null, "8s"), "test").join();
        AdminException off = assertThrows(AdminException.class, () -> admin.update("talk", patch(false, null), "test"));
        assertEquals("dvrWindow", off.field(), "switching recording off leaves no window without a recording");
        assertEquals(true, admin.get("talk").get("record"));
        Map<String, Object> both = admin.update("talk", patch(false, null), Set.of("dvrWindow"), "test").join();
        assertEquals(false, both.get("record"));
        assertEquals(false, both.get("dvrWindowOwn"));
        assertEquals("talk off 0s", last());
    }

    @Test
    void aServerThatRecordsNothingRefusesAWindowLikeRecordTrue() {
        AdminException refused = assertThrows(AdminException.class, () -> admin.create(create("keynote", null, "8s"), "test"));
        assertEquals(400, refused.status());
        assertEquals("dvrWindow", refused.field());
        assertTrue(refused.getMessage().contains("relay.recording.enabled"), refused.getMessage());
        Map<String, Object> plain = admin.create(create("keynote", null, null), "test").join();
        assertNull(plain.get("dvrWindow"));
        assertEquals(false, plain.get("dvrWindowOwn"));
        assertEquals("0s", admin.update("keynote", patch(null, "0s"), "test").join().get("dvrWindow"));
    }
}
