package fluxrelay.admin;

import fluxrelay.rooms.Room;

/**
 * How the rooms' {@code record} setting reaches the recorder: what a room that sets nothing does, and recording a room
 * or no longer. Given to {@link RoomAdmin} by a server that can record; without it {@code record: true} is refused.
 */
public interface RoomRecording {

    /** Whether the room records when it sets nothing itself: its config file {@code record}, else the server default. */
    boolean recordsByDefault(String roomId);

    /** Records the room from now on ({@code record} true) or no longer (its running session is finalized). */
    void apply(Room room, boolean record);
}
