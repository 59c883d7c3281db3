package fluxrelay.rooms;

import java.net.SocketAddress;

/**
 * Told when publishes and plays end or start, for platform notifications (webhooks) and the rooms' recent events. Called on
 * connection threads: implementations must not block.
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
        };
    }
}
