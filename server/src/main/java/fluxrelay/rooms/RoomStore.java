package fluxrelay.rooms;

import java.util.Optional;

/**
 * A room registry that can be changed: the admin API writes through it. Today's implementation is in memory
 * ({@link InMemoryRoomRegistry}); a store shared by several nodes implements the same interface.
 */
public interface RoomStore extends RoomRegistry {

    /** Adds or replaces a room by id. */
    void put(Room room);

    /** Removes a room; returns it when it existed. */
    Optional<Room> remove(String id);
}
