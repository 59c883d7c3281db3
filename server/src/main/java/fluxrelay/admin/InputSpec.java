package fluxrelay.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One input (feed) of a room as an operator writes it.
 *
 * @param id the input's id in the room: 1 to 32 lower-case letters, digits or '-', starting with a letter or digit;
 *           never {@code program} (reserved for the room's program)
 * @param streamName its publish key; generated when absent on create
 * @param role {@code main} (default) or {@code backup}: backups are the first the program fails over to
 */
public record InputSpec(String id, String streamName, @JsonInclude(JsonInclude.Include.NON_NULL) String role) {

    /** An input with the default role. */
    public InputSpec(String id, String streamName) {
        this(id, streamName, null);
    }

    @Override
    public String toString() {
        return "InputSpec[id=" + id + ", role=" + role + "]";
    }
}
