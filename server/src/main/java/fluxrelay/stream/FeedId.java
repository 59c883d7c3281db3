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
    /**
     * The reserved feed id of a room's program: the hub viewers of the room's URLs watch, fed by whichever input is on
     * air. No input may take this id.
     */
    public static final String PROGRAM = "program";

    public FeedId {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(feed, "feed");
    }

    /** The main feed of {@code room}. */
    public static FeedId main(String room) {
        return new FeedId(room, MAIN);
    }

    /** The program of {@code room}: what its viewer URLs play. */
    public static FeedId program(String room) {
        return new FeedId(room, PROGRAM);
    }

    /** True for a room's program hub, false for one of its inputs. */
    public boolean isProgram() {
        return PROGRAM.equals(feed);
    }

    /** {@code room} for the program, {@code room/input} for each input (main included): how logs and labels name it. */
    @Override
    public String toString() {
        return isProgram() ? room : room + "/" + feed;
    }
}
