package fluxrelay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoomEventsTest {

    private static final class StepClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final StepClock clock = new StepClock();
    private final RoomEvents events = new RoomEvents(clock);
    private final Room room = new Room("stage", "Stage", "live", List.of(new Feed("main", "main-key-0123456789"),
            new Feed("cam2", "cam2-key-0123456789")), true);

    @Test
    void eventsComeNewestFirstWithTheirDetails() {
        InetSocketAddress from = new InetSocketAddress("192.0.2.7", 50000);
        events.publishStarted(room, "cam2", "obs", from);
        clock.now = clock.now.plusSeconds(1);
        events.live("stage", true);
        clock.now = clock.now.plusSeconds(1);
        events.programSwitched("stage", "main", "cam2", "manual");
        clock.now = clock.now.plusSeconds(1);
        events.publishEnded(room, "cam2-key-0123456789", from, 61_500, 1000);

        List<RoomEvents.Event> recent = events.recent("stage");
        assertEquals(List.of("publish_ended", "program_switched", "live", "publish_started"),
                recent.stream().map(RoomEvents.Event::type).toList());
        assertEquals(Map.of("input", "cam2", "encoder", "obs", "address", "192.0.2.7"), recent.get(3).detail());
        assertEquals(Map.of("from", "main", "to", "cam2", "reason", "manual"), recent.get(1).detail());
        assertEquals(Map.of("input", "cam2", "address", "192.0.2.7", "durationSeconds", 61L, "bytes", 1000L), recent.get(0).detail());
        assertEquals("2026-01-01T10:00:03Z", recent.get(0).json().get("time"));
        assertTrue(events.recent("other").isEmpty());
    }

    @Test
    void inputChangesAreEventsWithoutTheStreamName() {
        events.inputAdded(room, "cam2", "backup");
        events.inputKeyRotated(room, "cam2");
        events.inputMismatch(room, "cam2", "main", true, List.of("video"));
        events.inputMismatch(room, "cam2", "main", false, List.of());
        events.inputRemoved(room, "cam2");

        List<RoomEvents.Event> recent = events.recent("stage");
        assertEquals(List.of("input_removed", "input_mismatch", "input_mismatch", "key_rotated", "input_added"),
                recent.stream().map(RoomEvents.Event::type).toList());
        assertEquals(Map.of("input", "cam2", "role", "backup"), recent.get(4).detail());
        assertEquals(Map.of("input", "cam2"), recent.get(3).detail());
        assertEquals(Map.of("input", "cam2", "main", "main", "mismatch", true, "tracks", List.of("video")), recent.get(2).detail());
        assertEquals(Map.of("input", "cam2", "main", "main", "mismatch", false, "tracks", List.of()), recent.get(1).detail());
        assertEquals(Map.of("input", "cam2"), recent.get(0).detail());
        assertTrue(recent.stream().noneMatch(e -> e.json().toString().contains("cam2-key")), recent.toString());
    }

    @Test
    void eachRoomKeepsItsLastEventsOnly() {
        for (int i = 0; i < RoomEvents.PER_ROOM + 5; i++) {
            events.keyRotated("stage", "input-" + i);
        }
        List<RoomEvents.Event> recent = events.recent("stage");
        assertEquals(RoomEvents.PER_ROOM, recent.size());
        assertEquals("input-" + (RoomEvents.PER_ROOM + 4), recent.get(0).detail().get("input"));
        assertEquals("input-5", recent.get(RoomEvents.PER_ROOM - 1).detail().get("input"));
        events.forget("stage");
        assertTrue(events.recent("stage").isEmpty());
    }

    @Test
    void refusedViewersAreCountedIntoOneRecentEventPerReason() {
        events.viewerRefused("stage", "bandwidth_too_slow");
        clock.now = clock.now.plusSeconds(10);
        events.viewerRefused("stage", "access_missing");
        clock.now = clock.now.plusSeconds(10);
        events.viewerRefused("stage", "bandwidth_too_slow");
        events.viewerRefused("stage", "bandwidth_too_slow");

        List<RoomEvents.Event> recent = events.recent("stage");
        assertEquals(2, recent.size(), recent.toString());
        assertEquals("bandwidth_too_slow", recent.get(0).detail().get("reason"));
        assertEquals(3L, recent.get(0).detail().get("count"));
        assertEquals("2026-01-01T10:00:00Z", recent.get(0).detail().get("since"));
        assertEquals(1L, recent.get(1).detail().get("count"));

        clock.now = clock.now.plus(RoomEvents.AGGREGATE).plusSeconds(1);
        events.viewerRefused("stage", "bandwidth_too_slow");
        recent = events.recent("stage");
        assertEquals(3, recent.size(), "a refusal after the aggregation time starts a new event");
        assertEquals(1L, recent.get(0).detail().get("count"));
        assertEquals(Duration.ofSeconds(81), Duration.between(Instant.parse("2026-01-01T10:00:00Z"), recent.get(0).time()));
    }
}
