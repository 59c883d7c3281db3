package fluxrelay.rooms;

import java.util.Objects;

/**
 * One input of a room (config and API key {@code inputs}): an encoder publishes into it with its own secret
 * stream name. A room has one or more; the first is its main feed, the one its program prefers.
 *
 * @param id the input's id, unique in the room ({@code main} for the one-input shorthand; never {@link #PROGRAM})
 * @param streamName the secret publish key of this input
 * @param role {@link #ROLE_MAIN} or {@link #ROLE_BACKUP}: backups are the first the program fails over to
 */
public record Feed(String id, String streamName, String role) {

    /** The id of the feed a room declared with a single {@code stream-name} has. */
    public static final String MAIN = "main";
    /** The id reserved for the room's program (what its viewer URLs play): no input takes it. */
    public static final String PROGRAM = "program";
    /** The role of an input that is not a backup. */
    public static final String ROLE_MAIN = "main";
    /** The role of an input standing by for the main one. */
    public static final String ROLE_BACKUP = "backup";
    /**
     * The role of a stream name bound as a rendition of the room's program (never among the room's inputs): its id is
     * the rendition's, and its publish goes to the rendition's hub.
     */
    public static final String ROLE_RENDITION = "rendition";

    public Feed {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(streamName, "streamName");
        role = role == null ? ROLE_MAIN : role;
        if (PROGRAM.equals(id)) {
            throw new IllegalArgumentException("the input id '" + PROGRAM + "' is reserved for the room's program");
        }
    }

    /** An input with the main role. */
    public Feed(String id, String streamName) {
        this(id, streamName, ROLE_MAIN);
    }

    /** True for a backup input. */
    public boolean backup() {
        return ROLE_BACKUP.equals(role);
    }

    /** True for a rendition's stream name rather than an input. */
    public boolean rendition() {
        return ROLE_RENDITION.equals(role);
    }

    /** This input with another publish key (rotation). */
    public Feed withStreamName(String name) {
        return new Feed(id, name, role);
    }

    @Override
    public String toString() {
        return "Feed[" + id + "]";
    }
}
