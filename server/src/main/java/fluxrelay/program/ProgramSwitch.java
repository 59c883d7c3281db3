package fluxrelay.program;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.FeedTap;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.PublishClaim;
import fluxrelay.stream.Publisher;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.StreamRegistry;
import io.netty.buffer.ByteBufUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room's program: taps the room's input hubs and publishes the input on air into the program hub, switching at the
 * target input's next keyframe, so viewers of the program never reconnect.
 *
 * <p><b>When it switches.</b> The first input to publish goes on air ({@link SwitchReason#START}); if that is not the
 * main input and the main one comes within {@code failover-after}, the main one replaces it at its next keyframe, still
 * as the start (a backup encoder connecting a moment before the main one does not hold the air). When the input on
 * air disconnects, or sends no media for {@code failover-after}, the program goes to the best other live input: the
 * main input first, then backups, then the others, in the room's declared order ({@link SwitchReason#FAILOVER}). Once
 * the main input has delivered media for {@code failback-after}, the program goes back to it, unless failback is
 * manual or an operator pinned another input ({@link SwitchReason#FAILBACK}). An operator's choice of a non-main input
 * pins the program there until the main input is chosen again or the pinned input fails over.
 *
 * <p><b>Why the next keyframe.</b> Every switch waits for the target's next keyframe rather than replaying its cached
 * group of pictures: the cached frames are older than what viewers just saw, so they would either move time back or
 * show a jump back in the picture; the next keyframe costs at most one GOP of the old input (or, at a failover, of
 * waiting) and never goes back.
 *
 * <p><b>What viewers get.</b> At the switch the program hub is told ({@link PublisherSlot#switchSource}), then gets
 * the target's metadata and sequence headers, then its keyframe; the program's timeline continues from the last frame
 * as at a publisher takeover. The old input's frames stop there.
 *
 * <p><b>Threads and locks.</b> Tap callbacks run on the input's publishing thread under the input hub's lock; the
 * switch's own lock is taken inside, and the program hub's lock inside that (input, switch, program: never the
 * reverse). The hub calls the {@link Publisher} methods under its lock, so they read volatile fields only. Timers run
 * on a scheduler ({@link #tick}) and take the switch lock, then the program hub's. Listeners are called on
 * {@code notifier}, under no lock.
 */
public final class ProgramSwitch implements FeedTap, Publisher {

    private static final Logger log = LoggerFactory.getLogger(ProgramSwitch.class);
    private static final Duration TAKEOVER_AFTER = Duration.ofSeconds(1);
    /** The track names of a codec-parameter mismatch ({@link ProgramListener#parametersDiffer}). */
    static final String VIDEO = "video";
    static final String AUDIO = "audio";

    private final String roomId;
    private final StreamRegistry streams;
    private final Supplier<Optional<Room>> room;
    private final ProgramPolicy defaults;
    /** The room's own settings over the defaults, refreshed every tick so a changed room applies within one. */
    private volatile ProgramPolicy policy;
    private final ProgramListener listener;
    private final Executor notifier;
    private final Clock clock;
    private final LongSupplier nanos;
    private final Object lock = new Object();
    private final Map<String, InputState> inputs = new LinkedHashMap<>();
    private final SocketAddress address;
    private PublisherSlot slot;
    /** The sequence headers the program last carried (retained copies), to tell whether a switch changes them. */
    private MediaFrame airedVideo;
    private MediaFrame airedAudio;
    private String onAir;
    private Pending pending;
    private boolean pinned;
    /** When the program went on air at its start on an input other than the main one (0: it did not). */
    private long startedOffMainNanos;
    private volatile long lastActivityNanos;
    private volatile boolean holding;

    /**
     * @param roomId the room whose program this is
     * @param streams where the input and program hubs are
     * @param room the room's current definition (its inputs, their order and roles, its own program settings); empty
     *             once deleted
     * @param policy the server-wide policy ({@code relay.program}), for what the room does not set itself
     * @param notifier where listeners are called
     * @param clock the wall clock of {@link Switched#at}
     * @param nanos the monotonic clock health is judged by ({@link System#nanoTime})
     */
    public ProgramSwitch(String roomId, StreamRegistry streams, Supplier<Optional<Room>> room, ProgramPolicy policy,
                         ProgramListener listener, Executor notifier, Clock clock, LongSupplier nanos) {
        this.roomId = roomId;
        this.streams = streams;
        this.room = room;
        this.defaults = policy;
        this.policy = policyOf(room.get().orElse(null));
        this.listener = listener;
        this.notifier = notifier;
        this.clock = clock;
        this.nanos = nanos;
        this.lastActivityNanos = nanos.getAsLong();
        this.address = InetSocketAddress.createUnresolved("program-of-" + roomId, 0);
    }

    /** The room this switch serves. */
    public String roomId() {
        return roomId;
    }

    /** The policy in force for this room: its own settings over the server's. */
    public ProgramPolicy policy() {
        return policy;
    }

    private ProgramPolicy policyOf(Room r) {
        return r == null ? defaults : defaults.with(r.program());
    }

    // ---- FeedTap: called under the input hub's lock ----

    @Override
    public void onPublishStart(FeedId feed) {
        synchronized (lock) {
            InputState in = inputs.computeIfAbsent(feed.feed(), InputState::new);
            long now = nanos.getAsLong();
            in.live = true;
            in.lastFrameNanos = now;
            in.healthySinceNanos = now;
            if (onAir == null && (pending == null || pending.reason == SwitchReason.START)) {
                // Before anything is on air, a start waiting for another input's keyframe is judged again: the
                // main input starting now is preferred to a backup that connected a moment earlier.
                String best = bestLocked(null, now);
                if (best != null) {
                    pending = new Pending(best, SwitchReason.START, null);
                }
            }
        }
    }

    @Override
    public void onFrame(FeedId feed, MediaFrame frame) {
        synchronized (lock) {
            InputState in = inputs.computeIfAbsent(feed.feed(), InputState::new);
            long now = nanos.getAsLong();
            if (!in.healthyAt(now, policy.failoverAfter().toNanos())) {
                in.healthySinceNanos = now;
            }
            in.lastFrameNanos = now;
            in.live = true;
            if (in.remember(frame)) {
                checkParametersLocked(in);
            }
            if (pending != null && pending.input.equals(in.id) && in.switchPoint(frame)) {
                switchLocked(in, frame);
            } else if (in.id.equals(onAir) && slot != null) {
                lastActivityNanos = now;
                aired(frame);
                slot.publish(frame.retainedDuplicate());
            }
        }
    }

    /**
     * Another track of the input (a rendition sent by a multitrack encoder): it follows the input on air into the
     * program's hub, where the renditions are taken from; it plays no part in switching.
     */
    @Override
    public void onTrackFrame(FeedId feed, MediaFrame frame) {
        synchronized (lock) {
            InputState in = inputs.get(feed.feed());
            if (in != null) {
                in.rememberTrack(frame); // the headers go on air with the input, whenever it goes
            }
            if (feed.feed().equals(onAir) && slot != null) {
                slot.publish(frame.retainedDuplicate());
            }
        }
    }

    @Override
    public void onDiscontinuity(FeedId feed) {
        synchronized (lock) {
            if (feed.feed().equals(onAir) && slot != null) {
                slot.discontinuity(); // HLS of the program marks the input's jump as it would the encoder's own
            }
        }
    }

    @Override
    public void onPublishStop(FeedId feed) {
        synchronized (lock) {
            InputState in = inputs.get(feed.feed());
            if (in == null) {
                return;
            }
            in.live = false;
            in.lastFrameNanos = 0;
            in.forget();
            String main = mainId();
            if (main != null && !in.id.equals(main)) {
                mismatchLocked(in, main, List.of()); // an input that stopped no longer differs (nor warns)
            }
            if (pending != null && pending.input.equals(in.id)) {
                failPending(new ProgramException(ProgramException.Kind.NOT_LIVE, "input '" + in.id + "' stopped publishing"));
            }
            if (in.id.equals(onAir)) {
                String best = bestLocked(in.id, nanos.getAsLong());
                if (best != null) {
                    pinned = false;
                    pending = new Pending(best, SwitchReason.FAILOVER, null);
                    log.info("room {}: input {} on air stopped publishing; the program goes to {} at its next keyframe",
                            roomId, in.id, best);
                } else {
                    endProgramLocked();
                }
            } else if (onAir == null && pending == null) {
                String best = bestLocked(null, nanos.getAsLong());
                if (best != null) {
                    pending = new Pending(best, SwitchReason.START, null);
                }
            }
        }
    }

    // ---- timers and operators ----

    /** Judges failover and failback; called every few hundred ms by the scheduler, never under a hub lock. */
    public void tick() {
        policy = policyOf(room.get().orElse(null));
        synchronized (lock) {
            long now = nanos.getAsLong();
            long failoverNanos = policy.failoverAfter().toNanos();
            if (pending != null && pending.reason != SwitchReason.MANUAL) {
                InputState target = inputs.get(pending.input);
                if (target == null || !target.healthyAt(now, failoverNanos)) {
                    pending = null; // judged again below
                }
            }
            if (onAir == null) {
                if (pending == null) {
                    String best = bestLocked(null, now);
                    if (best != null) {
                        pending = new Pending(best, SwitchReason.START, null);
                    }
                }
                return;
            }
            InputState current = inputs.get(onAir);
            boolean failing = current == null || !current.healthyAt(now, failoverNanos);
            if (failing && (pending == null || pending.input.equals(onAir))) {
                String best = bestLocked(onAir, now);
                if (best != null) {
                    log.info("room {}: input {} on air sent no media for {} ms; the program goes to {} at its next keyframe",
                            roomId, onAir, policy.failoverAfter().toMillis(), best);
                    pinned = false;
                    pending = new Pending(best, SwitchReason.FAILOVER, null);
                }
                return;
            }
            String main = mainId();
            if (pending == null && startedOffMainNanos != 0 && main != null && !main.equals(onAir)
                    && now - startedOffMainNanos <= failoverNanos) {
                // The program started on another input a moment before the main one came: still the start, so the
                // main input goes on air at its next keyframe without waiting failback-after (and whatever failback says).
                InputState m = inputs.get(main);
                if (m != null && m.healthyAt(now, failoverNanos)) {
                    pending = new Pending(main, SwitchReason.START, null);
                    return;
                }
            }
            if (pending == null && policy.autoFailback() && !pinned && main != null && !main.equals(onAir)) {
                InputState m = inputs.get(main);
                if (m != null && m.healthyAt(now, failoverNanos) && now - m.healthySinceNanos >= policy.failbackAfter().toNanos()) {
                    pending = new Pending(main, SwitchReason.FAILBACK, null);
                }
            }
        }
    }

    /**
     * Puts {@code inputId} on air at its next keyframe (completed then; at once when it is on air already). Choosing
     * a non-main input pins the program to it; choosing the main input unpins.
     *
     * @throws ProgramException when the room has no such input or it is not publishing here
     */
    public CompletableFuture<Switched> switchTo(String inputId) {
        synchronized (lock) {
            Room r = room.get().orElseThrow(() -> new ProgramException(ProgramException.Kind.UNKNOWN_INPUT, "no room " + roomId));
            if (r.feed(inputId).isEmpty()) {
                throw new ProgramException(ProgramException.Kind.UNKNOWN_INPUT, "room " + roomId + " has no input '" + inputId + "'");
            }
            InputState in = inputs.get(inputId);
            if (in == null || !in.live) {
                throw new ProgramException(ProgramException.Kind.NOT_LIVE, "input '" + inputId + "' is not publishing");
            }
            pinned = !inputId.equals(r.mainFeed().id());
            if (inputId.equals(onAir)) {
                if (pending != null) {
                    failPending(new ProgramException(ProgramException.Kind.NOT_LIVE, "superseded by a switch to " + inputId));
                    pending = null;
                }
                return CompletableFuture.completedFuture(new Switched(clock.instant(), onAir, onAir, SwitchReason.MANUAL, false));
            }
            if (pending != null) {
                failPending(new ProgramException(ProgramException.Kind.NOT_LIVE, "superseded by a switch to " + inputId));
            }
            CompletableFuture<Switched> done = new CompletableFuture<>();
            pending = new Pending(inputId, SwitchReason.MANUAL, done);
            return done;
        }
    }

    /** The program's state now. */
    public ProgramStatus status() {
        synchronized (lock) {
            long now = nanos.getAsLong();
            List<ProgramStatus.Input> list = new ArrayList<>();
            for (InputState in : inputs.values()) {
                list.add(new ProgramStatus.Input(in.id, in.live, in.live ? (now - in.lastFrameNanos) / 1_000_000 : -1,
                        in.differingTracks));
            }
            return new ProgramStatus(onAir, pending == null ? null : pending.input, pending == null ? null : pending.reason,
                    pinned, list);
        }
    }

    /** The input on air, or null. */
    public String onAir() {
        synchronized (lock) {
            return onAir;
        }
    }

    // ---- Publisher: called by the program hub, maybe under its lock: volatile reads only ----

    @Override
    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    @Override
    public boolean isConnected() {
        return holding;
    }

    @Override
    public SocketAddress remoteAddress() {
        return address;
    }

    @Override
    public void evict(String reason) {
        synchronized (lock) {
            log.info("room {}: program ended: {}", roomId, reason);
            slot = null; // the hub ended the slot already
            holding = false;
            onAir = null;
            pinned = false;
            airedVideo = InputState.replace(airedVideo, null);
            airedAudio = InputState.replace(airedAudio, null);
        }
    }

    // ---- internals, under the lock ----

    private void switchLocked(InputState target, MediaFrame keyframe) {
        Pending done = pending;
        pending = null;
        String from = onAir;
        boolean changed = !InputState.same(airedVideo, target.videoHeader) || !InputState.same(airedAudio, target.audioHeader);
        if (slot == null) {
            Room r = room.get().orElse(null);
            if (r == null) {
                return;
            }
            LiveStream program = streams.stream(roomId, r.autoLive());
            PublishClaim claim = program.claim(this, TAKEOVER_AFTER);
            if (claim instanceof PublishClaim.Busy busy) {
                log.warn("room {}: the program is held by another publisher ({}); input {} stays off air", roomId,
                        busy.description(), target.id);
                pending = done;
                return;
            }
            slot = ((PublishClaim.Granted) claim).slot();
            holding = true;
            from = null;
            changed = false;
        } else {
            slot.switchSource(changed);
        }
        airedVideo = InputState.replace(airedVideo, null);
        airedAudio = InputState.replace(airedAudio, null);
        for (MediaFrame header : target.headers()) {
            if (!(header instanceof VideoFrame v && v.track() != 0) && !(header instanceof AudioFrame a && a.track() != 0)) {
                aired(header); // the program's own headers, against which a switch is judged
            }
            // Stamped at the keyframe: a header that arrived long ago must not pull the program's timeline back.
            slot.publish(header.retainedDuplicate().withTimestamp(keyframe.timestamp()));
        }
        lastActivityNanos = nanos.getAsLong();
        slot.publish(keyframe.retainedDuplicate());
        onAir = target.id;
        SwitchReason reason = from == null ? SwitchReason.START : done.reason;
        startedOffMainNanos = reason == SwitchReason.START && from == null && !target.id.equals(mainId()) ? nanos.getAsLong() : 0;
        if (reason == SwitchReason.MANUAL) {
            pinned = !target.id.equals(mainId());
        } else if (reason == SwitchReason.FAILBACK) {
            pinned = false;
        }
        Switched switched = new Switched(clock.instant(), from, target.id, reason, changed);
        log.info("room {}: program on input {} ({}{}{})", roomId, target.id, reason.label(),
                from == null ? "" : ", was " + from, changed ? ", codec parameters changed" : "");
        if (done.future != null) {
            done.future.complete(switched);
        }
        if (reason != SwitchReason.START) {
            notify(() -> listener.switched(roomId, switched));
        }
    }

    /** Remembers a sequence header going on air. */
    private void aired(MediaFrame frame) {
        if (frame instanceof VideoFrame v && v.isSequenceHeader()) {
            airedVideo = InputState.replace(airedVideo, frame);
        } else if (frame instanceof AudioFrame a && a.sequenceHeader()) {
            airedAudio = InputState.replace(airedAudio, frame);
        }
    }

    private void endProgramLocked() {
        airedVideo = InputState.replace(airedVideo, null);
        airedAudio = InputState.replace(airedAudio, null);
        onAir = null;
        pinned = false;
        PublisherSlot ended = slot;
        slot = null;
        holding = false;
        if (ended != null) {
            ended.close();
        }
    }

    private void failPending(ProgramException why) {
        Pending p = pending;
        pending = null;
        if (p != null && p.future != null) {
            p.future.completeExceptionally(why);
        }
    }

    /** The best live, healthy input other than {@code except}: the main one, then backups, then others, as declared. */
    private String bestLocked(String except, long now) {
        Room r = room.get().orElse(null);
        if (r == null) {
            return null;
        }
        long failoverNanos = policy.failoverAfter().toNanos();
        List<Feed> order = new ArrayList<>();
        order.add(r.mainFeed());
        r.feeds().stream().skip(1).filter(Feed::backup).forEach(order::add);
        r.feeds().stream().skip(1).filter(f -> !f.backup()).forEach(order::add);
        for (Feed feed : order) {
            InputState in = inputs.get(feed.id());
            if (!feed.id().equals(except) && in != null && in.healthyAt(now, failoverNanos)) {
                return feed.id();
            }
        }
        return null;
    }

    private String mainId() {
        return room.get().map(r -> r.mainFeed().id()).orElse(null);
    }

    /**
     * Compares an input's fresh sequence headers with the main input's, track by track; a track one of them has not
     * sent (yet, or again after a reconnection) keeps its earlier judgement, so a main encoder reconnecting does not
     * make the warning come and go. Warns once per change.
     */
    private void checkParametersLocked(InputState in) {
        String main = mainId();
        if (main == null) {
            return;
        }
        List<InputState> others = new ArrayList<>();
        if (in.id.equals(main)) {
            inputs.values().stream().filter(o -> !o.id.equals(main)).forEach(others::add);
        } else {
            others.add(in);
        }
        InputState m = inputs.get(main);
        if (m == null) {
            return;
        }
        for (InputState other : others) {
            List<String> tracks = new ArrayList<>(2);
            if (differ(m.videoHeader, other.videoHeader, other.differingTracks.contains(VIDEO))) {
                tracks.add(VIDEO);
            }
            if (differ(m.audioHeader, other.audioHeader, other.differingTracks.contains(AUDIO))) {
                tracks.add(AUDIO);
            }
            mismatchLocked(other, main, tracks);
        }
    }

    /** Records which tracks of {@code in} differ from the main input's, telling the listener when that changed. */
    private void mismatchLocked(InputState in, String main, List<String> tracks) {
        if (tracks.equals(in.differingTracks)) {
            return;
        }
        List<String> now = List.copyOf(tracks);
        in.differingTracks = now;
        if (!now.isEmpty()) {
            log.warn("room {}: input {} has other codec parameters ({}) than the main input {}: a switch between them is a "
                    + "discontinuity for HLS viewers", roomId, in.id, String.join(", ", now), main);
        } else {
            log.info("room {}: input {} no longer has other codec parameters than the main input {}", roomId, in.id, main);
        }
        notify(() -> listener.parametersDiffer(roomId, in.id, main, now));
    }

    /** Whether a track differs: both inputs sent its sequence header and the two differ; else as judged before. */
    private static boolean differ(MediaFrame main, MediaFrame other, boolean before) {
        return main == null || other == null ? before : !InputState.same(main, other);
    }

    private void notify(Runnable call) {
        try {
            notifier.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    log.warn("room {}: a program listener failed", roomId, e);
                }
            });
        } catch (RuntimeException e) {
            log.debug("room {}: program listener not called, its executor refused", roomId);
        }
    }

    /** Releases every header kept (the server is stopping, or the room went). */
    public void close() {
        synchronized (lock) {
            inputs.values().forEach(InputState::forget);
            failPending(new ProgramException(ProgramException.Kind.NOT_LIVE, "the room's program closed"));
            endProgramLocked();
        }
    }

    private record Pending(String input, SwitchReason reason, CompletableFuture<Switched> future) {
    }

    /** What the switch knows of one input: liveness, health, and its latest metadata and sequence headers. */
    private static final class InputState {
        final String id;
        boolean live;
        long lastFrameNanos;
        long healthySinceNanos;
        boolean hasVideo;
        /** The tracks whose sequence headers differ from the main input's ({@link #VIDEO}, {@link #AUDIO}). */
        List<String> differingTracks = List.of();
        MediaFrame metadata;
        MediaFrame videoHeader;
        MediaFrame audioHeader;
        /**
         * The latest sequence header of each other track (a multitrack encoder's renditions), by track and kind: sent
         * to the program when the input goes on air, since an encoder sends them once, often before that.
         */
        final Map<Integer, MediaFrame> trackHeaders = new TreeMap<>();

        InputState(String id) {
            this.id = id;
        }

        boolean healthyAt(long now, long failoverNanos) {
            return live && lastFrameNanos != 0 && now - lastFrameNanos <= failoverNanos;
        }

        /** Keeps a retained copy of metadata and sequence headers; true when a sequence header changed. */
        boolean remember(MediaFrame frame) {
            if (frame instanceof ScriptFrame) {
                metadata = replace(metadata, frame);
            } else if (frame instanceof VideoFrame v && v.isSequenceHeader()) {
                hasVideo = true;
                boolean same = videoHeader != null && ByteBufUtil.equals(videoHeader.payload(), frame.payload());
                videoHeader = replace(videoHeader, frame);
                return !same;
            } else if (frame instanceof AudioFrame a && a.sequenceHeader()) {
                boolean same = audioHeader != null && ByteBufUtil.equals(audioHeader.payload(), frame.payload());
                audioHeader = replace(audioHeader, frame);
                return !same;
            }
            return false;
        }

        /** A frame the program may start this input at: a keyframe, or any audio frame of an input without video. */
        boolean switchPoint(MediaFrame frame) {
            if (frame instanceof VideoFrame v) {
                return v.isRandomAccessPoint() && !v.isSequenceHeader();
            }
            return !hasVideo && frame instanceof AudioFrame a && !a.sequenceHeader();
        }

        static boolean same(MediaFrame a, MediaFrame b) {
            return a == null ? b == null : b != null && ByteBufUtil.equals(a.payload(), b.payload());
        }

        /** Keeps a retained copy of another track's sequence header. */
        void rememberTrack(MediaFrame frame) {
            if (frame instanceof VideoFrame v && v.isSequenceHeader()) {
                trackHeaders.put(2 * v.track(), replace(trackHeaders.get(2 * v.track()), frame));
            } else if (frame instanceof AudioFrame a && a.sequenceHeader()) {
                trackHeaders.put(2 * a.track() + 1, replace(trackHeaders.get(2 * a.track() + 1), frame));
            }
        }

        /** Metadata and the sequence headers of track 0, then those of the other tracks. */
        List<MediaFrame> headers() {
            List<MediaFrame> out = new ArrayList<>(3 + trackHeaders.size());
            for (MediaFrame header : new MediaFrame[] {metadata, videoHeader, audioHeader}) {
                if (header != null) {
                    out.add(header);
                }
            }
            out.addAll(trackHeaders.values());
            return out;
        }

        void forget() {
            metadata = replace(metadata, null);
            videoHeader = replace(videoHeader, null);
            audioHeader = replace(audioHeader, null);
            trackHeaders.values().forEach(MediaFrame::release);
            trackHeaders.clear();
            hasVideo = false;
        }

        static MediaFrame replace(MediaFrame old, MediaFrame fresh) {
            if (old != null) {
                old.release();
            }
            return fresh == null ? null : fresh.retainedDuplicate();
        }
    }
}
