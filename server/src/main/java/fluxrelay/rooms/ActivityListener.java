package fluxrelay.rooms;

import java.net.SocketAddress;

/**
 * Told when publishes and plays end or start, for platform notifications (webhooks). Called on
 * connection threads: implementations must not block.
 */
public interface ActivityListener {

    /** Hears nothing. */
    ActivityListener NONE = new ActivityListener() {
    };

    /** A publish into {@code room} ended after {@code durationMillis} and {@code bytes} of media. */
    default void publishEnded(Room room, String streamName, SocketAddress from, long durationMillis, long bytes) {
    }

    /** A viewer started watching {@code room}. */
    default void playStarted(Room room, String protocol, SocketAddress from) {
    }

    /** A viewer stopped watching {@code room}. */
    default void playEnded(Room room, String protocol, SocketAddress from, long durationMillis, long bytes) {
    }
}
