package fluxrelay.config;

/**
 * One input (feed) of a room: a publish key an encoder pushes to ({@code relay.rooms[i].inputs[j]}).
 *
 * @param id the input's id in its room, {@code [a-z0-9][a-z0-9-]{0,31}}, unique in the room
 * @param streamName the publish key bound to this input (secret), unique among all inputs of the app
 * @param role {@link #MAIN} or {@link #BACKUP}
 */
public record InputConfig(String id, String streamName, String role) {

    /** The role of an input viewers see while it is live. */
    public static final String MAIN = "main";
    /** The role of an input standing by for a main one. */
    public static final String BACKUP = "backup";
    /** The id reserved for a room's program, refused as an input id. */
    public static final String PROGRAM = "program";
    /** The id the one-input shorthand ({@code stream-name} on the room) gives its input. */
    public static final String DEFAULT_ID = "main";

    /** The one input a room declared with {@code stream-name} alone has. */
    public static InputConfig main(String streamName) {
        return new InputConfig(DEFAULT_ID, streamName, MAIN);
    }

    /** True for a backup input. */
    public boolean backup() {
        return BACKUP.equals(role);
    }

    @Override
    public String toString() {
        // The stream name is a secret: never printed by accident.
        return "InputConfig[id=" + id + ", role=" + role + "]";
    }
}
