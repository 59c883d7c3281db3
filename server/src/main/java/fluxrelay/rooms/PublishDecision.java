package fluxrelay.rooms;

/** The answer to a {@link PublishRequest}: the room to publish into, or why not. */
public sealed interface PublishDecision {

    /** Publishing into {@code room} is allowed. */
    record Allowed(Room room) implements PublishDecision {
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
