package fluxrelay.admin;

/**
 * One input (feed) of a room as an operator writes it.
 *
 * @param id the input's id in the room: 1 to 32 lower-case letters, digits or '-', starting with a letter or digit
 * @param streamName its publish key; generated when absent on create
 */
public record InputSpec(String id, String streamName) {

    @Override
    public String toString() {
        return "InputSpec[id=" + id + "]";
    }
}
