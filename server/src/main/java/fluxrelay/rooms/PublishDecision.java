package fluxrelay.rooms;

/** The answer to a {@link PublishRequest}: the room and feed to publish into, or why not. */
public sealed interface PublishDecision {

    /** Publishing into {@code feed} of {@code room} is allowed. */
    record Allowed(Room room, Feed feed) implements PublishDecision {

        /** Publishing into the room's main feed is allowed (a platform named the room, not a feed). */
        public Allowed(Room room) {
            this(room, room.mainFeed());
        }
    }

    /**
     * Publishing is refused.
     *
     * @param reason short machine-readable reason for metrics (unknown_stream_name, wrong_app, ...)
     * @param description sentence shown to the encoder in the status description
     */
    record Denied(String reason, String description) implements PublishDecision {
    }
}
