package fluxrelay.admin;

import fluxrelay.rooms.Room;

/**
 * How the rooms' {@code record} and {@code recordStart} settings reach the recorder: what a room that sets nothing
 * does, and recording a room or no longer. Given to {@link RoomAdmin} by a server that can record; without it
 * {@code record: true} and {@code recordStart} are refused.
 */
public interface RoomRecording {

    /** Whether the room records when it sets nothing itself: its config file {@code record}, else the server default. */
    boolean recordsByDefault(String roomId);

    /**
     * Whether the room's recordings start at the encoder's publish (before GO LIVE) when it sets no {@code recordStart}
     * itself: its config file {@code record-start}, else {@code relay.recording.start}.
     */
    boolean startsAtPublishByDefault(String roomId);

    /**
     * Records the room from now on ({@code record} true) or no longer (its running session is finalized).
     *
     * @param fromPublish sessions start at the encoder's publish, shown or not; false: once the room is on the air. A
     *     change for a room already recorded applies from its next session: a running one is not cut
     */
    void apply(Room room, boolean record, boolean fromPublish);

    /** {@link #apply(Room, boolean, boolean)} with the room's default start. */
    default void apply(Room room, boolean record) {
        apply(room, record, startsAtPublishByDefault(room.id()));
    }
}
