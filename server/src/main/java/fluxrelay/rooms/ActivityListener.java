package fluxrelay.rooms;

import java.net.SocketAddress;
import java.util.List;

/**
 * Told when publishes and plays end or start, and when a room's inputs change, for platform notifications (webhooks) and
 * the rooms' recent events. Called on connection, admin and program threads: implementations must not block. No method
 * is given an input's stream name but {@link #publishEnded} (whose webhook has always carried it).
 */
public interface ActivityListener {

    /** Hears nothing. */
    ActivityListener NONE = new ActivityListener() {
    };

    /** An encoder began publishing into the room's input {@code input}; {@code encoder} is its own name, or null. */
    default void publishStarted(Room room, String input, String encoder, SocketAddress from) {
    }

    /**
     * A publish into the room's input was refused once the room was known (already published, the stream policy, the
     * cluster lease); {@code reason} is the short label the metrics use.
     */
    default void publishRefused(Room room, String input, String reason, SocketAddress from) {
    }

    /** A publish into {@code room} ended after {@code durationMillis} and {@code bytes} of media. */
    default void publishEnded(Room room, String streamName, SocketAddress from, long durationMillis, long bytes) {
    }

    /** A viewer started watching {@code room}. */
    default void playStarted(Room room, String protocol, SocketAddress from) {
    }

    /** A viewer stopped watching {@code room}. */
    default void playEnded(Room room, String protocol, SocketAddress from, long durationMillis, long bytes) {
    }

    /** An operator added the input {@code input} to the room; {@code role} is main, backup or null. */
    default void inputAdded(Room room, String input, String role) {
    }

    /** An operator removed the input {@code input} from the room. */
    default void inputRemoved(Room room, String input) {
    }

    /** An operator replaced the stream name (publish key) of the room's input {@code input}. */
    default void inputKeyRotated(Room room, String input) {
    }

    /**
     * An operator changed one of the room's rendition stream names (quality renditions published by their own encoder).
     *
     * @param change {@code added}, {@code removed} or {@code key_rotated}
     */
    default void renditionChanged(Room room, String rendition, String change) {
    }

    /**
     * The room's input {@code input} began (or ceased) to carry codec parameters other than its main input's: a switch
     * between them is a discontinuity for HLS viewers. Told once per change, never per frame.
     *
     * @param main the room's main input
     * @param differs whether they differ now
     * @param tracks the tracks that differ ({@code video}, {@code audio}); empty when they no longer do
     */
    default void inputMismatch(Room room, String input, String main, boolean differs, List<String> tracks) {
    }

    /** Tells {@code first}, then {@code second}. */
    static ActivityListener both(ActivityListener first, ActivityListener second) {
        return new ActivityListener() {
            @Override
            public void publishStarted(Room room, String input, String encoder, SocketAddress from) {
                first.publishStarted(room, input, encoder, from);
                second.publishStarted(room, input, encoder, from);
            }

            @Override
            public void publishRefused(Room room, String input, String reason, SocketAddress from) {
                first.publishRefused(room, input, reason, from);
                second.publishRefused(room, input, reason, from);
            }

            @Override
            public void publishEnded(Room room, String streamName, SocketAddress from, long durationMillis, long bytes) {
                first.publishEnded(room, streamName, from, durationMillis, bytes);
                second.publishEnded(room, streamName, from, durationMillis, bytes);
            }

            @Override
            public void playStarted(Room room, String protocol, SocketAddress from) {
                first.playStarted(room, protocol, from);
                second.playStarted(room, protocol, from);
            }

            @Override
            public void playEnded(Room room, String protocol, SocketAddress from, long durationMillis, long bytes) {
                first.playEnded(room, protocol, from, durationMillis, bytes);
                second.playEnded(room, protocol, from, durationMillis, bytes);
            }

            @Override
            public void inputAdded(Room room, String input, String role) {
                first.inputAdded(room, input, role);
                second.inputAdded(room, input, role);
            }

            @Override
            public void inputRemoved(Room room, String input) {
                first.inputRemoved(room, input);
                second.inputRemoved(room, input);
            }

            @Override
            public void inputKeyRotated(Room room, String input) {
                first.inputKeyRotated(room, input);
                second.inputKeyRotated(room, input);
            }

            @Override
            public void inputMismatch(Room room, String input, String main, boolean differs, List<String> tracks) {
                first.inputMismatch(room, input, main, differs, tracks);
                second.inputMismatch(room, input, main, differs, tracks);
            }

            @Override
            public void renditionChanged(Room room, String rendition, String change) {
                first.renditionChanged(room, rendition, change);
                second.renditionChanged(room, rendition, change);
            }
        };
    }
}
