package fluxrelay.rooms;

import java.util.Collection;
import java.util.Optional;

/**
 * The rooms the server knows and their stream name bindings.
 *
 * <p>An interface so that the admin API and platform webhooks can change bindings at runtime; readers
 * may call from any thread.
 */
public interface RoomRegistry {

    /** The room whose app and stream name match exactly (case-sensitive). */
    Optional<Room> findByStreamName(String app, String streamName);

    /** The room viewers address by this playback name in this app. */
    Optional<Room> findByPlaybackName(String app, String playbackName);

    /** The room with this id. */
    Optional<Room> findById(String id);

    /** True when at least one room uses this FMS application name. */
    boolean hasApp(String app);

    /** A snapshot of all rooms. */
    Collection<Room> all();
}
