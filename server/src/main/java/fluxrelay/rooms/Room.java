package fluxrelay.rooms;

import fluxrelay.config.LadderRungConfig;
import fluxrelay.config.RenditionInputConfig;
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
 * @param renditions stream names bound as renditions of the room's program (an encoder pushing each quality as its own
 *     stream), maybe none; ids distinct, stream names distinct from each other and from the feeds'
 * @param ladder the lower renditions the server makes from the program, maybe none; ids distinct from each other and
 *     from the renditions'
 */
public record Room(String id, String title, String app, List<Feed> feeds, boolean autoLive, ProgramSettings program,
                   List<RenditionInputConfig> renditions, List<LadderRungConfig> ladder) {

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
        renditions = renditions == null ? List.of() : List.copyOf(renditions);
        ladder = ladder == null ? List.of() : List.copyOf(ladder);
        Set<String> renditionIds = new HashSet<>();
        for (RenditionInputConfig rendition : renditions) {
            if (!renditionIds.add(rendition.id()) || !names.add(rendition.streamName())) {
                throw new IllegalArgumentException("room " + id + " has two renditions with the same id, or a stream name "
                        + "used twice among its inputs and renditions");
            }
        }
        Set<String> rungIds = new HashSet<>();
        for (LadderRungConfig rung : ladder) {
            if (!rungIds.add(rung.id()) || renditionIds.contains(rung.id())) {
                throw new IllegalArgumentException("room " + id + " has two ladder rungs with the same id, or a rung with a "
                        + "rendition's id");
            }
        }
    }

    /** A room without renditions bound to stream names and without a ladder. */
    public Room(String id, String title, String app, List<Feed> feeds, boolean autoLive, ProgramSettings program) {
        this(id, title, app, feeds, autoLive, program, List.of(), List.of());
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
        return new Room(id, title, app, replaced, autoLive, program, renditions, ladder);
    }

    /** This room with its own program switching settings replaced. */
    public Room withProgram(ProgramSettings replaced) {
        return new Room(id, title, app, feeds, autoLive, replaced, renditions, ladder);
    }

    /** This room with its rendition stream names replaced. */
    public Room withRenditions(List<RenditionInputConfig> replaced) {
        return new Room(id, title, app, feeds, autoLive, program, replaced, ladder);
    }

    /** This room with its ladder replaced. */
    public Room withLadder(List<LadderRungConfig> replaced) {
        return new Room(id, title, app, feeds, autoLive, program, renditions, replaced);
    }

    /** The rendition bound to a stream name with this id. */
    public Optional<RenditionInputConfig> rendition(String renditionId) {
        return renditions.stream().filter(r -> r.id().equals(renditionId)).findFirst();
    }

    /** True when one of the room's inputs or renditions is published with this stream name. */
    public boolean usesStreamName(String streamName) {
        return feedByStreamName(streamName).isPresent() || renditions.stream().anyMatch(r -> r.streamName().equals(streamName));
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
