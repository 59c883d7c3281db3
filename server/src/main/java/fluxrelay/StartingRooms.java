package fluxrelay;

import fluxrelay.admin.RenditionFields;
import fluxrelay.admin.RoomSpec;
import fluxrelay.admin.RoomsFile;
import fluxrelay.config.RelayConfig;
import fluxrelay.config.RoomConfig;
import fluxrelay.config.StreamNames;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.ProgramSettings;
import fluxrelay.rooms.Room;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rooms a server starts with: the configuration's, overlaid by the rooms file's, their stream names checked. */
final class StartingRooms {

    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);

    private StartingRooms() {
    }

    /** Config rooms, overlaid by the persisted ones (which win by id), minus rooms deleted at runtime. */
    static List<Room> of(RelayConfig config, RoomsFile.Content persisted) {
        Map<String, Room> byId = new LinkedHashMap<>();
        config.rooms().forEach(r -> byId.put(r.id(), new Room(r.id(), r.title(), r.app(),
                r.inputs().stream().map(i -> new Feed(i.id(), i.streamName(), i.role())).toList(), r.autoLive(),
                new ProgramSettings(r.program().failoverAfter(), r.program().failbackAfter(), r.program().autoFailback()),
                r.renditions(), r.ladder())));
        if (persisted != null) {
            persisted.deleted().forEach(byId::remove);
            for (RoomSpec spec : persisted.rooms()) {
                RoomConfig configured = config.demoRoom();
                if (configured != null && configured.id().equals(spec.id()) && !configured.streamName().equals(spec.streamName())) {
                    log.warn("room {}: the stream key saved in the rooms file is used, not relay.demo-room.stream-name "
                            + "(RELAY_DEMO_STREAM_NAME): the room was changed at runtime; rotate its key with "
                            + "POST /api/rooms/{}/stream-name", spec.id(), spec.id());
                }
                List<Feed> feeds = spec.inputs() == null ? List.of(new Feed(Feed.MAIN, spec.streamName()))
                        : spec.inputs().stream().map(i -> new Feed(i.id(), i.streamName(), i.role())).toList();
                byId.put(spec.id(), new Room(spec.id(), spec.title(), spec.app() == null ? "live" : spec.app(), feeds,
                        spec.autoLive() == null || spec.autoLive(), spec.program(), // checked by RoomsFile.load
                        RenditionFields.renditions(spec.renditions()), RenditionFields.ladder(spec.ladder())));
            }
        }
        return new ArrayList<>(byId.values());
    }

    /**
     * Every stream name the server starts with obeys the one rule ({@link StreamNames#problem(String, java.util.Collection)}).
     * The config file's were checked when it was read; a rooms file written by an earlier version may hold a short key
     * or one equal to a room id, and is refused naming the room, as a corrupt file is: starting would leave a guessable
     * or public publish key in service.
     */
    static void checkStreamNames(List<Room> rooms, RoomsFile.Content persisted, RoomsFile file) {
        List<String> ids = rooms.stream().map(Room::id).toList();
        for (Room room : rooms) {
            boolean fromFile = persisted != null && persisted.rooms().stream().anyMatch(spec -> spec.id().equals(room.id()));
            List<Feed> keyed = new ArrayList<>(room.feeds());
            room.renditions().forEach(r -> keyed.add(new Feed(r.id(), r.streamName(), Feed.ROLE_RENDITION)));
            for (Feed feed : keyed) {
                String problem = StreamNames.problem(feed.streamName(), ids);
                if (problem != null) {
                    String where = fromFile ? "rooms file " + file.path() + ": room '" + room.id() + "'"
                            : "relay.rooms: room '" + room.id() + "'";
                    String which = feed.role().equals(Feed.ROLE_RENDITION) ? " (rendition '" + feed.id() + "')"
                            : room.feeds().size() > 1 ? " (input '" + feed.id() + "')" : "";
                    throw new IllegalStateException(where + which + ": "
                            + problem + "; give it a new stream name" + (fromFile ? " in the file (or remove the room)" : "")
                            + " and start again");
                }
            }
        }
    }

    /** The room's HLS renditions: its own {@code hls} key when configured, else the {@code relay.hls.fmp4} default. */
}
