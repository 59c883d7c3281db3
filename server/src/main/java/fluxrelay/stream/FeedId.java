package fluxrelay.stream;

import java.util.Objects;

/**
 * Names one hub: a room and one of its feeds (inputs). Both parts are public ids, never a stream name.
 *
 * @param room the room's id
 * @param feed the feed's id in the room
 */
public record FeedId(String room, String feed) {

    /** The feed id of a room's only or first input. */
    public static final String MAIN = "main";

    public FeedId {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(feed, "feed");
    }

    /** The main feed of {@code room}. */
    public static FeedId main(String room) {
        return new FeedId(room, MAIN);
    }

    /** {@code room} for the main feed, {@code room/feed} for another: how logs and labels name it. */
    @Override
    public String toString() {
        return MAIN.equals(feed) ? room : room + "/" + feed;
    }
}
