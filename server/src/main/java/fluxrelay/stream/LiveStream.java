package fluxrelay.stream;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub of one feed of a room: one publisher slot, the GOP cache, and every output subscribed to the room.
 *
 * <p>Each frame is stored once and handed to all subscribers as the same reference-counted object;
 * subscribers that share an executor (event loop) get it through one task, in publish order. A slow
 * subscriber cannot slow the publisher or another subscriber: delivery never waits on a subscriber.
 *
 * <p>Viewers attach before, during or after a publish; they see frames only while the room is
 * <em>visible</em> (a publisher is on and the room is shown). A joiner starts with metadata, sequence
 * headers and the cached group of pictures, so its first picture is a keyframe. When a publisher is
 * replaced, viewers stay attached and resume at the new publisher's first keyframe on a timeline that
 * never goes backwards.
 *
 * <p>Frames of Enhanced RTMP v2 tracks other than 0 are put on the hub's timeline and handed to its taps only
 * ({@link FeedTap#onTrackFrame}): never cached, counted in the ingest figures or sent to subscribers. That is how a
 * multitrack encoder's other qualities travel, on the same timeline as track 0, to the program's renditions.
 *
 * <p>Faults stay with the subscriber at fault: whatever a subscriber throws is logged and the others still get
 * the frame; a subscriber whose executor no longer takes work (its thread ended) is dropped, and the publisher
 * and every other subscriber go on.
 */
public final class LiveStream {

    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    private final FeedId id;
    private final String roomId;
    private final Object lock = new Object();
    private final GopCache cache;
    private final Timeline timeline;
    private final StreamTotals totals = new StreamTotals();
    private final Map<Executor, StreamSubscriber[]> attached = new LinkedHashMap<>();
    private final Set<StreamSubscriber> waiting = new LinkedHashSet<>();
    private volatile boolean autoLive;
    private PublisherSlot slot;
    private IngestStats ingest = new IngestStats();
    private boolean shown;
    private boolean awaitingKeyframe;
    private boolean closed;
    private int subscriberCount;
    private long discontinuities;
    private FeedTap[] taps = new FeedTap[0];

    public LiveStream(FeedId id, boolean autoLive, StreamLimits limits) {
        this.id = id;
        this.roomId = id.room();
        this.autoLive = autoLive;
        this.cache = new GopCache(limits);
        this.timeline = new Timeline(limits.maxTimestampJump().toMillis());
    }

    /** The hub of a room's main feed. */
    public LiveStream(String roomId, boolean autoLive, StreamLimits limits) {
        this(FeedId.main(roomId), autoLive, limits);
    }

    /** The room's public id. */
    public String roomId() {
        return roomId;
    }

    /** The room and feed this hub carries. */
    public FeedId feedId() {
        return id;
    }

    /**
     * Asks for the publisher slot. A current publisher that is connected and sent data within
     * {@code takeoverAfter} keeps it; a dead or silent one is evicted and the newcomer takes over.
     */
    public PublishClaim claim(Publisher publisher, Duration takeoverAfter) {
        return claim(publisher, takeoverAfter, false);
    }

    /**
     * As {@link #claim(Publisher, Duration)}.
     *
     * @param keepTimestamps the publisher's timestamps are already on a continuous timeline and are kept as they are
     *                       (a program's rendition fed from the program's hub, so both share their timestamps); false
     *                       maps them as an encoder's
     */
    public PublishClaim claim(Publisher publisher, Duration takeoverAfter, boolean keepTimestamps) {
        PublisherSlot evicted = null;
        PublisherSlot granted;
        synchronized (lock) {
            if (closed) {
                return new PublishClaim.Busy("The room is closed.");
            }
            long now = System.nanoTime();
            if (slot != null) {
                Publisher current = slot.publisher();
                long silentNanos = now - current.lastActivityNanos();
                if (current.isConnected() && silentNanos < takeoverAfter.toNanos()) {
                    return new PublishClaim.Busy(PublishClaim.ALREADY_PUBLISHING);
                }
                evicted = slot;
                endPublishLocked();
            }
            granted = new PublisherSlot(this, publisher, now);
            slot = granted;
            totals.publish();
            ingest = new IngestStats();
            discontinuities = 0;
            cache.clear();
            timeline.newPublisher(keepTimestamps);
            awaitingKeyframe = true;
            if (autoLive) {
                shown = true;
            }
            if (shown) {
                attachWaitingLocked();
            }
            for (FeedTap tap : taps) {
                tapCall(tap, "a publish start", () -> tap.onPublishStart(id));
            }
        }
        if (evicted != null) {
            log.info("room {}: publisher {} taken over by {} (silent or disconnected)", id,
                    evicted.publisher().remoteAddress(), publisher.remoteAddress());
            evicted.publisher().evict("Taken over by a new publisher of the same stream.");
        }
        return new PublishClaim.Granted(granted);
    }

    /** True while the current publisher relays another node's publish ({@link Publisher#relayed}). */
    public boolean relayed() {
        synchronized (lock) {
            return slot != null && slot.publisher().relayed();
        }
    }

    void publish(PublisherSlot from, MediaFrame frame) {
        synchronized (lock) {
            if (from != slot || closed) {
                frame.release();
                return;
            }
            long now = System.nanoTime();
            Timeline.Track track = frame instanceof VideoFrame ? Timeline.Track.VIDEO
                    : frame instanceof AudioFrame ? Timeline.Track.AUDIO : Timeline.Track.OTHER;
            int compositionTime = frame instanceof VideoFrame video ? video.compositionTime() : 0;
            MediaFrame out = frame.withTimestamp(timeline.map(frame.timestamp(), track, compositionTime, now));
            if (timeline.discontinuity()) {
                discontinuityLocked(frame.timestamp(), out.timestamp());
            }
            if (trackOf(out) != 0) {
                // Another Enhanced RTMP v2 track: on this hub's timeline, for the taps (renditions) only.
                for (FeedTap tap : taps) {
                    tapCall(tap, "a track frame", () -> tap.onTrackFrame(id, out));
                }
                out.release();
                return;
            }
            ingest.record(out, now);
            for (FeedTap tap : taps) {
                tapCall(tap, "a frame", () -> tap.onFrame(id, out));
            }
            if (out instanceof VideoFrame || out instanceof AudioFrame) {
                totals.frame(out instanceof VideoFrame, out.size());
            }
            cache.add(out);
            if (shown && passesKeyframeGate(out)) {
                dispatchLocked(out);
            }
            out.release();
        }
    }

    private static int trackOf(MediaFrame frame) {
        if (frame instanceof VideoFrame video) {
            return video.track();
        }
        return frame instanceof AudioFrame audio ? audio.track() : 0;
    }

    /**
     * The encoder's timestamps jumped and the timeline was rebased: subscribers hear of it before the frame, in
     * order with the frames. Logged once per publish (an encoder sending garbage jumps at every frame).
     */
    private void discontinuityLocked(long from, long to) {
        if (discontinuities++ == 0) {
            log.warn("room {}: encoder timestamp jumped to {} ms; timeline rebased to {} ms", id, from & 0xFFFFFFFFL, to);
            ingest.warn(PublisherSlot.TIMESTAMPS, "Encoder timestamps jumped; the room's timeline was rebased (HLS marks a discontinuity).");
        }
        for (FeedTap tap : taps) {
            tapCall(tap, "a discontinuity", () -> tap.onDiscontinuity(id));
        }
        tellDiscontinuityLocked();
    }

    private void tellDiscontinuityLocked() {
        if (shown && !awaitingKeyframe) {
            for (Map.Entry<Executor, StreamSubscriber[]> group : attached.entrySet()) {
                StreamSubscriber[] members = group.getValue();
                group.getKey().execute(() -> {
                    for (StreamSubscriber member : members) {
                        try {
                            member.onDiscontinuity();
                        } catch (RuntimeException e) {
                            log.warn("room {}: subscriber {} failed on a discontinuity", id, member, e);
                        }
                    }
                });
            }
        }
    }

    /** Frames before a new publisher's first keyframe would show grey pictures: hold them back. */
    private boolean passesKeyframeGate(MediaFrame frame) {
        if (!awaitingKeyframe) {
            return true;
        }
        if (frame instanceof VideoFrame video) {
            if (video.isSequenceHeader()) {
                return true;
            }
            if (video.isRandomAccessPoint()) {
                awaitingKeyframe = false;
                return true;
            }
            return false;
        }
        if (frame instanceof AudioFrame audio) {
            return audio.sequenceHeader() || !cache.hasVideo();
        }
        return true;
    }

    private void dispatchLocked(MediaFrame frame) {
        Iterator<Map.Entry<Executor, StreamSubscriber[]>> groups = attached.entrySet().iterator();
        while (groups.hasNext()) {
            Map.Entry<Executor, StreamSubscriber[]> group = groups.next();
            StreamSubscriber[] members = group.getValue();
            frame.retain(members.length);
            try {
                group.getKey().execute(() -> deliver(members, frame));
            } catch (RejectedExecutionException e) {
                frame.release(members.length);
                groups.remove();
                dropLocked(members, e);
            }
        }
    }

    private void deliver(StreamSubscriber[] members, MediaFrame frame) {
        long now = System.nanoTime();
        for (StreamSubscriber member : members) {
            try {
                member.onFrame(frame, now);
            } catch (Throwable t) {
                log.warn("room {}: subscriber {} failed on a frame", id, member, t);
            }
        }
    }

    /** Runs one subscriber callback, keeping whatever it throws from the thread it shares with others. */
    private void call(StreamSubscriber subscriber, String what, Runnable callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            log.warn("room {}: subscriber {} failed on {}", id, subscriber, what, t);
        }
    }

    /** Forgets subscribers whose executor takes no more work: nothing can reach them any more. */
    private void dropLocked(StreamSubscriber[] members, RejectedExecutionException cause) {
        for (StreamSubscriber member : members) {
            waiting.remove(member);
            subscriberCount--;
            log.warn("room {}: subscriber {} dropped, its thread takes no more work ({})", id, member, cause.toString());
        }
    }

    void describe(PublisherSlot from, String encoder, String topic, String warning) {
        synchronized (lock) {
            if (from != slot) {
                return;
            }
            if (encoder != null) {
                ingest.encoder(encoder);
            }
            if (topic != null) {
                ingest.warn(topic, warning);
            }
        }
    }

    void unpublish(PublisherSlot from) {
        synchronized (lock) {
            if (from == slot) {
                endPublishLocked();
            }
        }
    }

    /** The shown flag stays: a room switched live resumes at once when its encoder comes back. */
    private void endPublishLocked() {
        slot = null;
        detachAllLocked(StreamStop.UNPUBLISHED);
        tapStopLocked();
    }

    private void tapStopLocked() {
        for (FeedTap tap : taps) {
            tapCall(tap, "a publish stop", () -> tap.onPublishStop(id));
        }
    }

    private void tapCall(FeedTap tap, String what, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            log.warn("room {}: tap {} failed on {}", id, tap, what, e);
        }
    }

    /**
     * Adds an internal reader of this hub's publishes ({@link FeedTap}); a publish on now is announced to it at once,
     * with the cached metadata, sequence headers and group of pictures.
     * Taps are not subscribers: GO LIVE, the keyframe gate and the viewer count do not apply to them.
     */
    public void tap(FeedTap tap) {
        synchronized (lock) {
            taps = Arrays.copyOf(taps, taps.length + 1);
            taps[taps.length - 1] = tap;
            if (slot != null) {
                // A tap added mid-publish gets what a joiner would: metadata, sequence headers and the current GOP.
                tapCall(tap, "a publish start", () -> tap.onPublishStart(id));
                for (MediaFrame frame : cache.snapshot()) {
                    tapCall(tap, "a frame", () -> tap.onFrame(id, frame));
                    frame.release();
                }
            }
        }
    }

    /** Removes a tap added with {@link #tap}. */
    public void untap(FeedTap tap) {
        synchronized (lock) {
            taps = Arrays.stream(taps).filter(t -> t != tap).toArray(FeedTap[]::new);
        }
    }

    /** The source the current publisher relays jumped in time: subscribers hear of it as of an encoder's jump. */
    void relayDiscontinuity(PublisherSlot from) {
        synchronized (lock) {
            if (from == slot && !closed) {
                tellDiscontinuityLocked();
            }
        }
    }

    /**
     * The current publisher now relays another source (a program switching inputs): the timeline continues from the
     * last frame as at a publisher takeover, the GOP cache starts afresh (the new source's headers and keyframe follow)
     * and subscribers hear of the switch before its first frame, without a stop: viewers stay attached.
     */
    void switchSource(PublisherSlot from, boolean parametersChanged) {
        synchronized (lock) {
            if (from != slot || closed) {
                return;
            }
            timeline.newPublisher();
            cache.clear();
            ingest = new IngestStats();
            awaitingKeyframe = true;
            if (!shown) {
                return;
            }
            for (Map.Entry<Executor, StreamSubscriber[]> group : attached.entrySet()) {
                StreamSubscriber[] members = group.getValue();
                try {
                    group.getKey().execute(() -> {
                        for (StreamSubscriber member : members) {
                            call(member, "a source switch", () -> member.onSourceSwitch(parametersChanged));
                        }
                    });
                } catch (RejectedExecutionException e) {
                    log.debug("room {}: subscribers not told of a source switch, their thread takes no more work", id);
                }
            }
        }
    }

    /** Shows or hides the room to viewers (GO LIVE / stop showing). */
    public void setShown(boolean show) {
        synchronized (lock) {
            if (shown == show || closed) {
                return;
            }
            shown = show;
            if (show && slot != null) {
                attachWaitingLocked();
            } else if (!show) {
                detachAllLocked(StreamStop.HIDDEN);
            }
        }
    }

    /** Whether a publish is shown at once (no GO LIVE needed). */
    public void setAutoLive(boolean autoLive) {
        this.autoLive = autoLive;
    }

    /** Attaches an output; it gets frames whenever the room is visible, until the subscription closes. */
    public Subscription subscribe(StreamSubscriber subscriber) {
        Runnable start = null;
        synchronized (lock) {
            if (closed) {
                tellClosed(subscriber, "The room is closed.");
                return new Subscription(this, subscriber);
            }
            subscriberCount++;
            if (slot != null && shown) {
                start = attachLocked(subscriber, false, subscriber.startsWithinSubscribe());
            } else {
                waiting.add(subscriber);
            }
        }
        if (start != null) {
            // On the subscriber's thread, outside the lock: any frame delivered to it since the attach is in a task
            // that runs after this returns, so the order is the same as with a queued start.
            start.run();
        }
        return new Subscription(this, subscriber);
    }

    void unsubscribe(StreamSubscriber subscriber) {
        synchronized (lock) {
            if (waiting.remove(subscriber) || removeAttachedLocked(subscriber)) {
                subscriberCount--;
            }
        }
    }

    private void attachWaitingLocked() {
        List<StreamSubscriber> pending = new ArrayList<>(waiting);
        waiting.clear();
        for (StreamSubscriber subscriber : pending) {
            attachLocked(subscriber, true, false);
        }
    }

    /**
     * Adds to the delivery group and queues start + cached frames before any later frame; with {@code now}, returns
     * that start for the caller to run on the subscriber's thread once it left the lock, instead of queuing it (null
     * otherwise). A subscriber whose executor refuses the task is dropped instead.
     */
    private Runnable attachLocked(StreamSubscriber subscriber, boolean afterWait, boolean now) {
        Executor executor = subscriber.executor();
        List<MediaFrame> snapshot = cache.snapshot();
        StreamStart start = new StreamStart(roomId, afterWait);
        Runnable starting = () -> {
            call(subscriber, "stream start", () -> subscriber.onStreamStart(start));
            for (MediaFrame frame : snapshot) {
                call(subscriber, "a frame", () -> subscriber.onFrame(frame));
            }
            call(subscriber, "start frames", subscriber::onStartFramesDelivered);
        };
        if (!now) {
            try {
                executor.execute(starting);
            } catch (RejectedExecutionException e) {
                snapshot.forEach(MediaFrame::release);
                dropLocked(new StreamSubscriber[] {subscriber}, e);
                return null;
            }
        }
        StreamSubscriber[] members = attached.get(executor);
        StreamSubscriber[] grown = members == null ? new StreamSubscriber[1] : Arrays.copyOf(members, members.length + 1);
        grown[grown.length - 1] = subscriber;
        attached.put(executor, grown);
        return now ? starting : null;
    }

    private boolean removeAttachedLocked(StreamSubscriber subscriber) {
        Executor executor = subscriber.executor();
        StreamSubscriber[] members = attached.get(executor);
        if (members == null) {
            return false;
        }
        int index = Arrays.asList(members).indexOf(subscriber);
        if (index < 0) {
            return false;
        }
        if (members.length == 1) {
            attached.remove(executor);
        } else {
            StreamSubscriber[] shrunk = new StreamSubscriber[members.length - 1];
            System.arraycopy(members, 0, shrunk, 0, index);
            System.arraycopy(members, index + 1, shrunk, index, members.length - index - 1);
            attached.put(executor, shrunk);
        }
        return true;
    }

    private void detachAllLocked(StreamStop reason) {
        for (Map.Entry<Executor, StreamSubscriber[]> group : attached.entrySet()) {
            StreamSubscriber[] members = group.getValue();
            for (StreamSubscriber member : members) {
                waiting.add(member);
            }
            try {
                group.getKey().execute(() -> {
                    for (StreamSubscriber member : members) {
                        call(member, "stream stop", () -> member.onStreamStop(reason));
                    }
                });
            } catch (RejectedExecutionException e) {
                dropLocked(members, e);
            }
        }
        attached.clear();
    }

    /** Tells a subscriber it is dropped, unless its executor takes no more work (then nothing can reach it). */
    private void tellClosed(StreamSubscriber subscriber, String reason) {
        try {
            subscriber.executor().execute(() -> call(subscriber, "close", () -> subscriber.onClosed(reason)));
        } catch (RejectedExecutionException e) {
            log.debug("room {}: subscriber {} not told of the close, its thread takes no more work", id, subscriber);
        }
    }

    /** Ends the room: evicts the publisher and drops every subscriber. */
    public void close(String reason) {
        PublisherSlot evicted;
        List<StreamSubscriber> all = new ArrayList<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            evicted = slot;
            slot = null;
            if (evicted != null) {
                tapStopLocked();
            }
            attached.values().forEach(members -> all.addAll(Arrays.asList(members)));
            all.addAll(waiting);
            attached.clear();
            waiting.clear();
            subscriberCount = 0;
            cache.clear();
        }
        if (evicted != null) {
            evicted.publisher().evict(reason);
        }
        for (StreamSubscriber subscriber : all) {
            tellClosed(subscriber, reason);
        }
    }

    /** Ends the current publisher, if any, with a reason it is told (key rotated, kicked by an operator). */
    public boolean evictPublisher(String reason) {
        PublisherSlot current;
        synchronized (lock) {
            current = slot;
            if (current != null) {
                endPublishLocked();
            }
        }
        if (current != null) {
            current.publisher().evict(reason);
        }
        return current != null;
    }

    boolean isCurrent(PublisherSlot candidate) {
        synchronized (lock) {
            return candidate == slot;
        }
    }

    /** Cumulative figures since the server started. */
    public StreamTotals totals() {
        return totals;
    }

    /** The viewers (people watching) subscribed now, attached or waiting. */
    public List<Viewer> viewers() {
        List<Viewer> out = new ArrayList<>();
        synchronized (lock) {
            for (StreamSubscriber[] members : attached.values()) {
                for (StreamSubscriber member : members) {
                    if (member instanceof Viewer viewer) {
                        out.add(viewer);
                    }
                }
            }
            for (StreamSubscriber member : waiting) {
                if (member instanceof Viewer viewer) {
                    out.add(viewer);
                }
            }
        }
        return out;
    }

    /** True when the room is shown (switched live). */
    public boolean shown() {
        synchronized (lock) {
            return shown;
        }
    }

    /** A consistent view of the room's live state. */
    public StreamSnapshot snapshot() {
        synchronized (lock) {
            int attachedCount = 0;
            for (StreamSubscriber[] members : attached.values()) {
                attachedCount += members.length;
            }
            return new StreamSnapshot(roomId, id.feed(), slot != null, shown, slot != null && shown, subscriberCount, attachedCount,
                    cache.frames(), cache.bytes(), slot != null ? ingest.snapshot() : null,
                    slot != null ? slot.publisher().remoteAddress() : null, timeline.lastTimestamp());
        }
    }
}
