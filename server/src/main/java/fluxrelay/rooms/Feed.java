package fluxrelay.rooms;

import java.util.Objects;

/**
 * One input of a room (config and API key {@code inputs}): an encoder publishes into it with its own secret
 * stream name. A room has one or more; the first is its main feed, the one viewers get today.
 *
 * @param id the input's id, unique in the room ({@code main} for the one-input shorthand)
 * @param streamName the secret publish key of this input
 */
public record Feed(String id, String streamName) {

    /** The id of the feed a room declared with a single {@code stream-name} has. */
    public static final String MAIN = "main";

    public Feed {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(streamName, "streamName");
    }

    @Override
    public String toString() {
        return "Feed[" + id + "]";
    }
}
