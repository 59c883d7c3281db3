package fluxrelay.recording;

import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.FeedTap;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.StreamSubscriber;
import fluxrelay.stream.Subscription;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one room: a subscriber of its hub that writes each session to a fragment file on the room's recording
 * thread, and has it finalized when the session ends.
 *
 * <p>A session starts at the first keyframe (audio-only: the first audio frame) once the stream is visible, and
 * spans publisher reconnects within the grace period: the frames after a reconnect follow on one frame after the
 * last ones written, so the outage is neither replayed nor left as a gap. It ends when the publisher has been gone
 * for the grace period, when the room is taken off the air, when the hub closes, when free space runs low, or when
 * the codec configuration changes (a new sequence header with other parameters: that file ends and the next starts
 * at the next keyframe). Frames of codecs a recording does not carry are skipped.
 *
 * <p>From publish ({@code relay.recording.start = publish}) the recorder reads the hub as a {@link FeedTap} rather
 * than as a subscriber: a tap hears every publish and frame whether or not the room is shown, so the session starts
 * before GO LIVE and taking the room off the air does not end it. The tap only hands each frame (retained) to the
 * room's recording thread, in order, and returns: the same path and thread as a subscriber's frames.
 */
final class RoomRecorder implements StreamSubscriber {

    private static final Logger log = LoggerFactory.getLogger(RoomRecorder.class);

    /** What a room recorder needs of the recorder that made it. */
    interface Owner {
        /** False while free space is below the floor (or the recorder closes): no session starts. */
        boolean mayStart();

        /** A session's file was opened: enter it in the catalogue. */
        Session started(String room, TrackSetup tracks, long fragmentMs, RoomRecorder recorder);

        /** Bytes were appended to a session's file. */
        void written(Session session, long bytes);

        /** A session ended: finalize it (on this thread). */
        void ended(Session session, String why);

        /** A session's file could not be written: it ends failed. */
        void writeFailed(Session session, Throwable error);

        /**
         * {@code recorder}, idle and detached from its hub, wants to be replaced by one whose sessions have its
         * {@link #nextFromPublish()} start and {@link #nextDvrWindowMs()} DVR window (called on its thread).
         */
        void restart(RoomRecorder recorder);
    }

    /** One recording being written. */
    interface Session {
        FragmentWriter writer();
    }

    private final LiveStream stream;
    private final EventExecutor executor;
    private final long graceMs;
    private final long fragmentMs;
    private final Owner owner;
    private final boolean fromPublish;
    private final long dvrWindowMs;
    /**
     * The start and DVR window the next session is to have; when either differs, the recorder is replaced once no
     * session runs. Both are set and read under the owner's lock for this room (see {@link Owner#restart}).
     */
    private volatile boolean nextFromPublish;
    private volatile long nextDvrWindowMs;
    private final FeedTap tap = new Tap();
    private Subscription subscription;
    private Session session;
    private TrackSetup.Video videoHeader;
    private TrackSetup.Audio audioHeader;
    /** Added to the hub's timestamps to get the recording's. */
    private long offsetMs;
    /** The next frame is the first after a reconnect: the offset is set again from it. */
    private boolean rebase;
    private boolean relayed;
    private boolean closed;
    private ScheduledFuture<?> graceEnd;

    RoomRecorder(LiveStream stream, EventExecutor executor, long graceMs, long fragmentMs, Owner owner, boolean fromPublish) {
        this(stream, executor, graceMs, fragmentMs, owner, fromPublish, 0);
    }

    /** @param dvrWindowMs how much of a session a live DVR window lists; 0 for none */
    RoomRecorder(LiveStream stream, EventExecutor executor, long graceMs, long fragmentMs, Owner owner, boolean fromPublish,
                 long dvrWindowMs) {
        this.dvrWindowMs = dvrWindowMs;
        this.fromPublish = fromPublish;
        this.nextFromPublish = fromPublish;
        this.nextDvrWindowMs = dvrWindowMs;
        this.stream = stream;
        this.executor = executor;
        this.graceMs = graceMs;
        this.fragmentMs = fragmentMs;
        this.owner = owner;
    }

    String room() {
        return stream.roomId();
    }

    LiveStream stream() {
        return stream;
    }

    /** True when sessions start at the publish (before GO LIVE), false when the room must be on the air. */
    boolean fromPublish() {
        return fromPublish;
    }

    /** How much of a session its live DVR window lists; 0 for no window. */
    long dvrWindowMs() {
        return dvrWindowMs;
    }

    /** The start sessions after the running one are to have (as {@link #fromPublish()}). */
    boolean nextFromPublish() {
        return nextFromPublish;
    }

    /** The DVR window sessions after the running one are to have (as {@link #dvrWindowMs()}). */
    long nextDvrWindowMs() {
        return nextDvrWindowMs;
    }

    /**
     * Makes sessions after the running one start at the publish ({@code true}) or once the room is on the air, with a
     * live DVR window of {@code dvrWindowMs} (0: none): a running session is not cut, and keeps the window it started
     * with; once none runs, the owner replaces this recorder ({@link Owner#restart}).
     */
    void nextSessions(boolean fromPublish, long dvrWindowMs) {
        nextFromPublish = fromPublish;
        nextDvrWindowMs = dvrWindowMs;
        restartWhenIdle();
    }

    /** True when the next session is to start otherwise or have another DVR window than this recorder gives. */
    private boolean changing() {
        return nextFromPublish != fromPublish || nextDvrWindowMs != dvrWindowMs;
    }

    /** Has the recorder replaced, on its thread, when the next session's settings differ and no session runs then. */
    private void restartWhenIdle() {
        if (!changing()) {
            return;
        }
        try {
            executor.execute(() -> {
                if (closed || session != null || !changing()) {
                    return;
                }
                closed = true; // frames still queued from the hub are dropped: the replacement reads the hub afresh
                detach();
                owner.restart(this);
            });
        } catch (RejectedExecutionException e) {
            log.debug("room {}: recording thread gone; the start and DVR window are not changed", room());
        }
    }

    void start() {
        if (fromPublish) {
            stream.tap(tap);
        } else {
            subscription = stream.subscribe(this);
        }
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public void onStreamStart(StreamStart start) {
        if (closed) {
            return;
        }
        relayed = stream.relayed(); // a cluster edge's pull: the origin node records
        cancelGrace();
        rebase = session != null;
    }

    @Override
    public void onFrame(MediaFrame frame) {
        try {
            if (!closed && !relayed) {
                frame(frame);
            }
        } catch (Throwable t) {
            if (session != null) {
                Session failed = session;
                session = null;
                owner.writeFailed(failed, t);
                restartWhenIdle();
            } else {
                log.warn("room {}: recording skipped a frame it could not read: {}", room(), t.toString());
            }
        } finally {
            frame.release();
        }
    }

    private void frame(MediaFrame frame) throws Exception {
        if (frame instanceof VideoFrame video) {
            video(video);
        } else if (frame instanceof AudioFrame audio) {
            audio(audio);
        }
    }

    private void video(VideoFrame frame) throws Exception {
        if (!TrackSetup.records(frame.codec())) {
            return;
        }
        if (frame.isSequenceHeader()) {
            TrackSetup.Video header = TrackSetup.Video.parse(frame);
            if (session != null && !header.same(session.writer().tracks().video())) {
                end("the video codec configuration changed");
            }
            videoHeader = header;
            return;
        }
        if (frame.kind() != fluxrelay.media.VideoPacketKind.CODED_FRAME || videoHeader == null) {
            return;
        }
        if (session == null) {
            if (!frame.isRandomAccessPoint() || !open(frame.timestamp())) {
                return;
            }
        } else if (session.writer().tracks().video() == null) {
            end("video joined an audio-only recording");
            if (!frame.isRandomAccessPoint() || !open(frame.timestamp())) {
                return;
            }
        }
        long out = time(frame.timestamp(), frame.compositionTime());
        if (out < 0) {
            return;
        }
        ByteBuf payload = frame.payload();
        int start = payload.readerIndex() + frame.dataOffset();
        session.writer().video(out, frame.compositionTime(), frame.isRandomAccessPoint(), payload, start, payload.writerIndex() - start);
        owner.written(session, session.writer().bytes());
    }

    private void audio(AudioFrame frame) throws Exception {
        if (!TrackSetup.records(frame.codec())) {
            return;
        }
        if (frame.sequenceHeader()) {
            TrackSetup.Audio header = TrackSetup.Audio.parse(frame);
            if (session != null && session.writer().tracks().audio() != null && !header.same(session.writer().tracks().audio())) {
                end("the audio codec configuration changed");
            }
            audioHeader = header;
            return;
        }
        if (audioHeader == null) {
            return;
        }
        if (session == null && (videoHeader != null || !open(frame.timestamp()))) {
            return; // with video, a recording starts at a keyframe
        }
        if (session.writer().tracks().audio() == null) {
            return;
        }
        if (rebase && session.writer().tracks().video() != null) {
            return; // after a reconnect the video's first keyframe sets where the media follows on
        }
        long out = time(frame.timestamp(), 0);
        ByteBuf payload = frame.payload();
        int start = payload.readerIndex() + frame.dataOffset();
        int length = payload.writerIndex() - start;
        if (out < 0 || length <= 0) {
            return;
        }
        session.writer().audio(out, payload, start, length);
        owner.written(session, session.writer().bytes());
    }

    /** The recording's time of a hub timestamp; the first frame after a reconnect follows on from the last written. */
    private long time(long timestamp, int compositionTime) {
        if (rebase) {
            rebase = false;
            offsetMs = session.writer().followOnMs(compositionTime) - timestamp;
        }
        return timestamp + offsetMs;
    }

    private boolean open(long timestamp) {
        if (!owner.mayStart()) {
            return false;
        }
        TrackSetup tracks = new TrackSetup(videoHeader, audioHeader);
        session = owner.started(room(), tracks, fragmentMs, this);
        offsetMs = -timestamp;
        rebase = false;
        return session != null;
    }

    @Override
    public void onStreamStop(StreamStop reason) {
        if (session == null || closed) {
            return;
        }
        if (reason == StreamStop.HIDDEN) {
            end("the room went off the air");
            return;
        }
        cancelGrace();
        graceEnd = executor.schedule(() -> {
            graceEnd = null;
            end("the publisher did not come back within the grace period");
        }, graceMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClosed(String reason) {
        closed = true;
        cancelGrace();
        end("the room closed: " + reason);
    }

    /** Ends the running session, if any, from any thread (free space low): on the room's thread after queued frames. */
    void endSoon(String why) {
        try {
            executor.execute(() -> end(why));
        } catch (RejectedExecutionException e) {
            log.warn("room {}: recording thread gone; its session is finalized at the next start", room());
        }
    }

    /** Detaches from the hub and ends the running session. */
    void close(String why) {
        detach();
        try {
            executor.execute(() -> {
                closed = true;
                cancelGrace();
                end(why);
            });
        } catch (RejectedExecutionException e) {
            log.warn("room {}: recording thread gone; its session is finalized at the next start", room());
        }
    }

    private void detach() {
        if (subscription != null) {
            subscription.close();
        }
        if (fromPublish) {
            stream.untap(tap);
        }
    }

    private void end(String why) {
        if (session != null) {
            Session ended = session;
            session = null;
            cancelGrace();
            owner.ended(ended, why);
            restartWhenIdle();
        }
    }

    private void cancelGrace() {
        if (graceEnd != null) {
            graceEnd.cancel(false);
            graceEnd = null;
        }
    }

    /** The hub's publishes, shown or not, handed to the recording thread in order; called under the hub's lock. */
    private final class Tap implements FeedTap {

        @Override
        public void onPublishStart(FeedId feed) {
            hand(() -> onStreamStart(null));
        }

        @Override
        public void onFrame(FeedId feed, MediaFrame frame) {
            MediaFrame kept = frame.retainedDuplicate();
            if (!hand(() -> RoomRecorder.this.onFrame(kept))) {
                kept.release();
            }
        }

        @Override
        public void onPublishStop(FeedId feed) {
            hand(() -> onStreamStop(StreamStop.UNPUBLISHED));
        }

        private boolean hand(Runnable task) {
            try {
                executor.execute(task);
                return true;
            } catch (RejectedExecutionException e) {
                return false; // the recorder is closing: its session is finalized at the next start
            }
        }

        @Override
        public String toString() {
            return "recorder of " + room();
        }
    }
}
