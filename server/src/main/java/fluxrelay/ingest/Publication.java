package fluxrelay.ingest;

import fluxrelay.logging.LogText;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.Publisher;
import fluxrelay.stream.PublisherSlot;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admitted publish: carries the publisher's frames into its feed's hub, holds them to the ingest policy,
 * counts what went through and tells the platform when it ends. Protocol-neutral; the adapter calls it on its
 * own thread (one at a time).
 */
public final class Publication {

    private static final Logger log = LoggerFactory.getLogger(Publication.class);
    /** The bitrate is judged once the publish has run this long (the encoder's first seconds are not its rate). */
    private static final long BITRATE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What became of a pushed frame. */
    public sealed interface Verdict {
        /** Handed to the hub. */
        record Accepted() implements Verdict {
        }

        /** The ingest policy refuses the stream: the publication has ended; the encoder is to be told why. */
        record Refused(String description) implements Verdict {
        }
    }

    private static final Verdict ACCEPTED = new Verdict.Accepted();

    private final Room room;
    private final Feed feed;
    private final String streamName;
    private final PublisherSlot slot;
    private final Publisher publisher;
    private final IngestWatch watch;
    private final boolean strict;
    private final ActivityListener activity;
    private final PublishLeases.Lease lease;
    private final long startedNanos = System.nanoTime();
    private long bytes;
    private long frames;
    private long unreadable;
    private boolean ended;

    Publication(Room room, Feed feed, PublisherSlot slot, Publisher publisher, IngestWatch watch, boolean strict,
                ActivityListener activity, String encoder, PublishLeases.Lease lease) {
        this.lease = lease;
        this.room = room;
        this.feed = feed;
        this.streamName = feed.streamName();
        this.slot = slot;
        this.publisher = publisher;
        this.watch = watch;
        this.strict = strict;
        this.activity = activity;
        slot.describeEncoder(encoder);
        activity.publishStarted(room, feed.id(), encoder, publisher.remoteAddress());
        log.info("{}: publish started in room {} ({}, encoder '{}')", publisher.remoteAddress(), name(), room.app(),
                LogText.of(encoder));
    }

    /** The room published into. */
    public Room room() {
        return room;
    }

    /** The feed published into. */
    public Feed feed() {
        return feed;
    }

    /** The hub's name of the feed. */
    public FeedId feedId() {
        return slot.stream().feedId();
    }

    /**
     * Hands a frame to the hub; ownership of {@code frame} passes here (released when refused). Frames of Enhanced RTMP
     * v2 tracks other than 0 go in too: the hub hands them to the room's program, which makes renditions of them; the
     * live stream policy judges track 0 only.
     *
     * @param size the frame's size on the wire, for the statistics
     */
    public Verdict push(MediaFrame frame, int size) {
        if (ended) {
            frame.release();
            return ACCEPTED;
        }
        bytes += size;
        frames++;
        if (frame instanceof VideoFrame video && video.isSequenceHeader() && video.track() == 0) {
            List<String> problems = watch.videoHeader(video);
            slot.warn(PublisherSlot.FORMAT, problems.isEmpty() ? null : String.join("; ", problems));
            if (!problems.isEmpty()) {
                String text = String.join("; ", problems);
                if (strict) {
                    frame.release();
                    log.warn("{}: room {}: stream refused by policy: {}", publisher.remoteAddress(), name(), text);
                    activity.publishRefused(room, feed.id(), "policy", publisher.remoteAddress());
                    end(false);
                    return new Verdict.Refused("Stream refused: " + text + ".");
                }
                log.warn("{}: room {}: stream outside the live stream policy: {}", publisher.remoteAddress(), name(), text);
            }
        }
        slot.publish(frame);
        return ACCEPTED;
    }

    /** The encoder named itself in its metadata. */
    public void describeEncoder(String name) {
        if (name != null && !name.isBlank()) {
            slot.describeEncoder(name);
        }
    }

    /** A frame that could not be read was dropped; logged for the first and every hundredth. */
    public void unreadable(String why) {
        unreadable++;
        if (unreadable == 1 || unreadable % 100 == 0) {
            log.warn("{}: room {}: unreadable media dropped ({} so far): {}", publisher.remoteAddress(), name(), unreadable,
                    LogText.of(why, 200));
        }
    }

    /** Flags a video bitrate outside the recommendation once the publish has run a few seconds; call periodically. */
    public void checkBitrate() {
        if (ended || System.nanoTime() - startedNanos < BITRATE_GRACE_NANOS) {
            return;
        }
        var ingest = slot.stream().snapshot().ingest();
        if (ingest != null) {
            slot.warn(PublisherSlot.BITRATE, watch.bitrate(ingest.videoKbps()));
        }
    }

    /** True once ended. */
    public boolean ended() {
        return ended;
    }

    /**
     * Ends the publish (idempotent): the feed's viewers stay attached and wait for the next publisher, the feed's
     * lease is given back, and the platform is told.
     *
     * @param byClient the encoder unpublished, rather than its connection ending or it being evicted
     */
    public void end(boolean byClient) {
        if (ended) {
            return;
        }
        ended = true;
        slot.close();
        lease.release();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        activity.publishEnded(room, streamName, publisher.remoteAddress(), millis, bytes);
        log.info("{}: publish ended in room {}{} after {} s, {} frames, {} bytes{}", publisher.remoteAddress(), name(),
                byClient ? " by the encoder" : "", millis / 1000, frames, bytes,
                unreadable > 0 ? ", " + unreadable + " unreadable frames dropped" : "");
    }

    private String name() {
        return slot.stream().feedId().toString();
    }
}
