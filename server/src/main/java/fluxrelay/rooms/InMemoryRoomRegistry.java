package fluxrelay.rooms;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Rooms held in memory, safe for concurrent readers and writers. */
public final class InMemoryRoomRegistry implements RoomStore {

    private final Map<String, Room> byId = new ConcurrentHashMap<>();

    public InMemoryRoomRegistry(Collection<Room> rooms) {
        rooms.forEach(this::put);
    }

    @Override
    public void put(Room room) {
        byId.put(room.id(), room);
    }

    @Override
    public Optional<Room> remove(String id) {
        return Optional.ofNullable(byId.remove(id));
    }

    @Override
    public Optional<Binding> findBinding(String app, String streamName) {
        for (Room room : byId.values()) {
            if (room.app().equals(app)) {
                Optional<Feed> feed = room.feedByStreamName(streamName);
                if (feed.isPresent()) {
                    return Optional.of(new Binding(room, feed.get()));
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Room> findByPlaybackName(String app, String playbackName) {
        Room room = byId.get(playbackName);
        return room != null && room.app().equals(app) ? Optional.of(room) : Optional.empty();
    }

    @Override
    public Optional<Room> findById(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public boolean hasApp(String app) {
        for (Room room : byId.values()) {
            if (room.app().equals(app)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Collection<Room> all() {
        return List.copyOf(byId.values());
    }
}
