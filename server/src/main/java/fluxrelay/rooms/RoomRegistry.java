package fluxrelay.rooms;

import java.util.Collection;
import java.util.Optional;

/**
 * The rooms the server knows and their stream name bindings: what publish and play admission read.
 * Readers may call from any thread. {@link RoomStore} adds the writes.
 */
public interface RoomRegistry {

    /** The room and feed whose app and stream name match exactly (case-sensitive). */
    Optional<Binding> findBinding(String app, String streamName);

    /** The room one of whose feeds has this app and stream name. */
    default Optional<Room> findByStreamName(String app, String streamName) {
        return findBinding(app, streamName).map(Binding::room);
    }

    /** The room viewers address by this playback name in this app. */
    Optional<Room> findByPlaybackName(String app, String playbackName);

    /** The room with this id. */
    Optional<Room> findById(String id);

    /** True when at least one room uses this FMS application name. */
    boolean hasApp(String app);

    /** A snapshot of all rooms. */
    Collection<Room> all();
}
