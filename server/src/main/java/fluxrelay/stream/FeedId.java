package fluxrelay.stream;

import java.util.Objects;

/**
 * Names one hub: a room and one of its feeds (inputs), or one quality rendition of the room's program. Every part is a
 * public id, never a stream name.
 *
 * <p>A <em>rendition</em> is another quality of the room's program (a lower resolution sent by the encoder as an
 * Enhanced RTMP v2 track, or pushed under a rendition stream name): its hub is {@code (room, program, rendition)}, so
 * the hub stays protocol-neutral and every map keyed on a feed keys it too. The program itself has no rendition id
 * ({@link #NO_RENDITION}); inputs never have one.
 *
 * @param room the room's id
 * @param feed the feed's id in the room ({@link #PROGRAM} for the program and its renditions)
 * @param rendition the rendition's id (for example {@code 240p}), or {@link #NO_RENDITION}
 */
public record FeedId(String room, String feed, String rendition) {

    /** The feed id of a room's only or first input. */
    public static final String MAIN = "main";
    /**
     * The reserved feed id of a room's program: the hub viewers of the room's URLs watch, fed by whichever input is on
     * air. No input may take this id.
     */
    public static final String PROGRAM = "program";
    /** The rendition part of every hub that is not a rendition. */
    public static final String NO_RENDITION = "";

    public FeedId {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(feed, "feed");
        Objects.requireNonNull(rendition, "rendition");
        if (!rendition.isEmpty() && !PROGRAM.equals(feed)) {
            throw new IllegalArgumentException("only a room's program has renditions");
        }
    }

    /** A room's feed (an input, or the program), not a rendition. */
    public FeedId(String room, String feed) {
        this(room, feed, NO_RENDITION);
    }

    /** The main feed of {@code room}. */
    public static FeedId main(String room) {
        return new FeedId(room, MAIN);
    }

    /** The program of {@code room}: what its viewer URLs play. */
    public static FeedId program(String room) {
        return new FeedId(room, PROGRAM);
    }

    /** The rendition {@code id} of {@code room}'s program. */
    public static FeedId rendition(String room, String id) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("empty rendition id");
        }
        return new FeedId(room, PROGRAM, id);
    }

    /** True for a room's program hub, false for one of its inputs or renditions. */
    public boolean isProgram() {
        return PROGRAM.equals(feed) && rendition.isEmpty();
    }

    /** True for a rendition of a room's program. */
    public boolean isRendition() {
        return !rendition.isEmpty();
    }

    /** True for one of the room's inputs (what encoders publish into by their input's stream name). */
    public boolean isInput() {
        return !PROGRAM.equals(feed);
    }

    /**
     * {@code room} for the program, {@code room/input} for each input (main included), {@code room/r/rendition} for a
     * rendition (as its HLS URLs write it): how logs, labels and the HLS directory name it.
     */
    @Override
    public String toString() {
        if (isRendition()) {
            return room + "/r/" + rendition;
        }
        return isProgram() ? room : room + "/" + feed;
    }
}
