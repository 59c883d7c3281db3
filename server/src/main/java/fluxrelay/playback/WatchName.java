package fluxrelay.playback;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a viewer URL names, in every protocol: a room ({@code {room-id}}, the room's program) or one input of it
 * ({@code {room-id}/{input-id}}, one camera angle). The same two forms are used by RTMP play names, HTTP-FLV and HLS
 * paths, so a viewer URL of one protocol maps onto the others by its path alone.
 *
 * @param room the room's public id, never empty
 * @param input the input's id, or null for the room's program URL
 */
public record WatchName(String room, String input) {

    /** The form of an input id (the rule of {@code inputs[].id}): 1 to 32 lower-case letters, digits or {@code -}. */
    public static final Pattern INPUT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    /**
     * Parses {@code room} or {@code room/input}; empty when the text can name nothing (an empty part, more than one
     * {@code /}, an input id of another form), which viewers get as an unknown stream.
     */
    public static Optional<WatchName> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Optional.of(new WatchName(text, null));
        }
        String room = text.substring(0, slash);
        String input = text.substring(slash + 1);
        if (room.isEmpty() || !INPUT_ID.matcher(input).matches()) {
            return Optional.empty();
        }
        return Optional.of(new WatchName(room, input));
    }

    /** The play request's {@code feed}: the input, or null for the room's program. */
    public String feed() {
        return input;
    }

    /** {@code room} or {@code room/input}, as URLs write it. */
    @Override
    public String toString() {
        return input == null ? room : room + "/" + input;
    }
}
