package fluxrelay.admin;

import fluxrelay.rooms.Room;
import java.time.Duration;

/**
 * How the rooms' {@code record}, {@code recordStart} and {@code dvrWindow} settings reach the recorder: what a room
 * that sets nothing does, the shortest DVR window the recorder serves, and recording a room or no longer. Given to
 * {@link RoomAdmin} by a server that can record; without it {@code record: true}, {@code recordStart} and a DVR window
 * are refused.
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
     * The room's live DVR window when it sets no {@code dvrWindow} itself: its config file {@code dvr-window}, else
     * {@code relay.recording.dvr-window}; zero for none.
     */
    Duration dvrWindowByDefault(String roomId);

    /** The shortest live DVR window other than none: three target durations of the DVR playlist, as the config's. */
    Duration shortestDvrWindow();

    /**
     * Records the room from now on ({@code record} true) or no longer (its running session is finalized).
     *
     * @param fromPublish sessions start at the encoder's publish, shown or not; false: once the room is on the air
     * @param dvrWindow how much of each session its live DVR playlist lists; zero for none. A change of either for a
     *     room already recorded applies from its next session: a running one is not cut, and keeps its window
     */
    void apply(Room room, boolean record, boolean fromPublish, Duration dvrWindow);

    /** {@link #apply(Room, boolean, boolean, Duration)} with the room's default DVR window. */
    default void apply(Room room, boolean record, boolean fromPublish) {
        apply(room, record, fromPublish, dvrWindowByDefault(room.id()));
    }

    /** {@link #apply(Room, boolean, boolean)} with the room's default start. */
    default void apply(Room room, boolean record) {
        apply(room, record, startsAtPublishByDefault(room.id()));
    }
}
