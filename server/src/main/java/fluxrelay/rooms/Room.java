package fluxrelay.rooms;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An event room: the public id viewers use, the FMS app, and its feeds (inputs), each with its own secret
 * stream name. The first feed is the main one: what viewers of the room's URLs get.
 *
 * @param id public id; viewer URLs use it, never a stream name
 * @param title human title
 * @param app the FMS application name of the encoders' URL
 * @param feeds one or more feeds, ids and stream names distinct; the first is the main feed
 * @param autoLive shown to viewers as soon as the publisher starts, without a GO LIVE
 * @param program the room's own program switching settings (failover, failback); null fields follow the defaults
 */
public record Room(String id, String title, String app, List<Feed> feeds, boolean autoLive, ProgramSettings program) {

    public Room {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        feeds = List.copyOf(feeds);
        if (feeds.isEmpty()) {
            throw new IllegalArgumentException("room " + id + " has no feed");
        }
        Set<String> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Feed feed : feeds) {
            if (!ids.add(feed.id()) || !names.add(feed.streamName())) {
                throw new IllegalArgumentException("room " + id + " has two feeds with the same id or stream name");
            }
        }
        title = title == null ? id : title;
        program = program == null ? ProgramSettings.NONE : program;
    }

    /** A room that follows the server's program switching settings. */
    public Room(String id, String title, String app, List<Feed> feeds, boolean autoLive) {
        this(id, title, app, feeds, autoLive, ProgramSettings.NONE);
    }

    /** A room with one feed, {@link Feed#MAIN}, published with {@code streamName}. */
    public Room(String id, String title, String app, String streamName, boolean autoLive) {
        this(id, title, app, List.of(new Feed(Feed.MAIN, streamName)), autoLive);
    }

    /** The main feed: what the room's viewer URLs play. */
    public Feed mainFeed() {
        return feeds.get(0);
    }

    /** The main feed's stream name (the room's publish key when it has one feed). */
    public String streamName() {
        return mainFeed().streamName();
    }

    /** The feed with this id. */
    public Optional<Feed> feed(String feedId) {
        return feeds.stream().filter(f -> f.id().equals(feedId)).findFirst();
    }

    /** The feed published with this stream name. */
    public Optional<Feed> feedByStreamName(String streamName) {
        return feeds.stream().filter(f -> f.streamName().equals(streamName)).findFirst();
    }

    /** This room with its feeds replaced. */
    public Room withFeeds(List<Feed> replaced) {
        return new Room(id, title, app, replaced, autoLive, program);
    }

    /** This room with its own program switching settings replaced. */
    public Room withProgram(ProgramSettings replaced) {
        return new Room(id, title, app, feeds, autoLive, replaced);
    }

    /** The name viewers play the room by. */
    public String playbackName() {
        return id;
    }

    @Override
    public String toString() {
        return "Room[" + id + "]";
    }
}
