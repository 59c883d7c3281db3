package fluxrelay.rooms;

import fluxrelay.config.RenditionInputConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The stream names rooms bind as renditions of their program (a room's {@code renditions}, from the configuration, the
 * admin API or the rooms file): an encoder that pushes each quality as its own stream publishes one of these and feeds
 * that rendition. Read from the rooms as they are now ({@link #of(RoomRegistry)}), so a rendition added at runtime can
 * publish at once and a removed one cannot.
 */
public final class RenditionInputs {

    /** No room binds a rendition stream name. */
    public static final RenditionInputs NONE = new RenditionInputs(List.of());

    /**
     * One binding.
     *
     * @param roomId the room whose program it is a rendition of
     * @param rendition the rendition's id ({@code 480p})
     * @param streamName the secret publish key
     */
    public record Binding(String roomId, String rendition, String streamName) {

        /** Without the stream name: it is a secret. */
        @Override
        public String toString() {
            return "Binding[room=" + roomId + ", rendition=" + rendition + "]";
        }
    }

    /** The rooms read, or null for a fixed list. */
    private final RoomRegistry rooms;
    private final Map<String, Binding> byStreamName;

    /** A fixed list of bindings (apps are not told apart). */
    public RenditionInputs(List<Binding> bindings) {
        this.rooms = null;
        this.byStreamName = bindings.stream().collect(Collectors.toUnmodifiableMap(Binding::streamName, b -> b));
    }

    private RenditionInputs(RoomRegistry rooms) {
        this.rooms = rooms;
        this.byStreamName = Map.of();
    }

    /** The bindings of the rooms' {@link Room#renditions()}, as the rooms are at each call. */
    public static RenditionInputs of(RoomRegistry rooms) {
        return new RenditionInputs(rooms);
    }

    /** The binding of a stream name, if a room has one. */
    public Optional<Binding> find(String streamName) {
        if (rooms == null) {
            return Optional.ofNullable(byStreamName.get(streamName));
        }
        for (Room room : rooms.all()) {
            Optional<Binding> found = bindingIn(room, streamName);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The binding of a stream name in an app, if a room of the app has one. */
    public Optional<Binding> find(String app, String streamName) {
        if (rooms == null) {
            return find(streamName);
        }
        return rooms.all().stream().filter(r -> r.app().equals(app)).map(r -> bindingIn(r, streamName))
                .flatMap(Optional::stream).findFirst();
    }

    private static Optional<Binding> bindingIn(Room room, String streamName) {
        return room.renditions().stream().filter(r -> r.streamName().equals(streamName)).findFirst()
                .map(r -> new Binding(room.id(), r.id(), r.streamName()));
    }

    /** The rendition ids bound for a room, sorted. */
    public List<String> of(String roomId) {
        if (rooms == null) {
            return byStreamName.values().stream().filter(b -> b.roomId().equals(roomId)).map(Binding::rendition).sorted().toList();
        }
        return rooms.findById(roomId).map(r -> r.renditions().stream().map(RenditionInputConfig::id).sorted().toList())
                .orElse(List.of());
    }
}
