package fluxrelay.egress;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ViewerBandwidth;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.netty.ConnectionTracker;
import fluxrelay.stream.DropCounters;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import fluxrelay.stream.Subscription;
import fluxrelay.stream.Viewer;
import fluxrelay.stream.ViewerDropPolicy;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A stream subscriber that writes to one Netty channel. It hands each frame the drop policy lets through to its
 * protocol's {@link #write} and asks the loop's {@link FlushBatcher} for a flush; the other concerns have their own
 * classes: the drop and lag policy ({@link LagGuard}), delivery sampling of monitored viewers
 * ({@link BandwidthSampler}) and the time to first frame ({@link FirstFrameTimer}).
 *
 * <p>A viewer ends once, by {@link #end}, whatever the cause ({@link ViewerEnd.Cause}): everything it holds is
 * released, its protocol says goodbye ({@link #farewell}) and its departure is reported ({@link #departed}).
 *
 * <p>A multitrack play also receives the program's renditions beside it ({@link #withRenditionTracks}); they start and
 * stop with the viewer's subscription and go to the protocol's {@link #writeTrack}.
 *
 * <p>Subclasses encode frames for their protocol (RTMP, HTTP-FLV). All methods run on the channel's event loop,
 * except {@link #kick}.
 */
public abstract class ChannelViewer implements Viewer, FlushBatcher.Target {

    /**
     * The viewers of a loop that the protocol writes to in step ({@link #followInStep}): a frame handed to one of them
     * is taken for all at once, and each catches up with what was taken when it flushes. Used on the loop.
     */
    public interface InStep {
        /** Whether {@code frame} was taken for this viewer with the others; false ends the viewer's following. */
        boolean took(MediaFrame frame, long nowNanos);

        /** {@link System#nanoTime()} of the last frame taken. */
        long lastTakenNanos();

        /** Frames taken so far. */
        long taken();
    }

    /** A viewer whose group took no frame for this long stops following it at its next flush. */
    private static final long IN_STEP_IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final AtomicLong IDS = new AtomicLong();
    private static final VarHandle LAST_DELIVERY;
    private static final VarHandle FRAMES_SENT;
    private static final VarHandle BYTES_SENT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            LAST_DELIVERY = lookup.findVarHandle(ChannelViewer.class, "lastDeliveryNanos", long.class);
            FRAMES_SENT = lookup.findVarHandle(ChannelViewer.class, "framesSent", long.class);
            BYTES_SENT = lookup.findVarHandle(ChannelViewer.class, "bytesSent", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected final Channel channel;
    private final long viewerId = IDS.incrementAndGet();
    private final long joinedAtMillis = System.currentTimeMillis();
    private final long joinedNanos = System.nanoTime();
    private final EgressCounters totals;
    private final LagGuard lag;
    /** {@link LagGuard#policy()}, asked directly per frame. */
    private final ViewerDropPolicy dropPolicy;
    private final FlushBatcher batcher;
    /** This viewer's slot in its loop's merged-write window (see {@link FlushBatcher#nextPhase()}). */
    private final int flushPhase;
    /** Null unless the viewer's delivery is watched. */
    private final BandwidthSampler sampler;
    /** Null once there is nothing (more) to time. */
    private FirstFrameTimer firstFrame;
    private Subscription subscription;
    /** The renditions sent beside the program as extra tracks; null for a single-track play. */
    private RenditionTracks tracks;
    private Supplier<List<String>> renditionIds;
    private Function<String, LiveStream> renditionHubs;
    private boolean flushQueued;
    private boolean ended;
    /** What takes this viewer's frames with its loop's others while it is in step with them, or null. */
    private InStep inStep;
    /** {@link InStep#taken()} at this viewer's last flush. */
    private long takenAtFlush;
    /*
     * Written per frame by the loop only and read elsewhere (idle checks, the admin API, the sampler): opaque access
     * (VarHandle) keeps each read whole and current without the fence a volatile write costs on every frame of every
     * viewer.
     */
    private long lastDeliveryNanos = System.nanoTime();
    private long framesSent;
    private long bytesSent;
    private long timestampBase = -1;
    private volatile String attendee;
    private volatile boolean internal;

    /** A viewer whose delivery is not watched. */
    protected ChannelViewer(Channel channel, ViewerLimits limits, EgressCounters totals) {
        this(channel, limits, totals, null, null);
    }

    /**
     * A viewer whose delivery is watched when {@code bandwidth} is not null; {@code monitoring} then gives the
     * sampling interval and, on epoll, the unsent limit set on the socket (TCP_NOTSENT_LOWAT) so a backlog
     * waits in the channel's queue where the drop policy and the monitor see it.
     */
    protected ChannelViewer(Channel channel, ViewerLimits limits, EgressCounters totals, ViewerBandwidth bandwidth,
                            Monitoring monitoring) {
        this.channel = channel;
        this.totals = totals;
        totals.joined();
        this.lag = new LagGuard(channel, limits, totals, () -> end(ViewerEnd.tooSlow()));
        this.dropPolicy = lag.policy();
        this.batcher = FlushBatcher.forLoop(channel.eventLoop(), limits.flush());
        this.flushPhase = batcher.nextPhase();
        if (channel.hasAttr(ConnectionTracker.ACTIVE_SINCE_NANOS)) {
            firstFrame = new FirstFrameTimer(totals, channel.attr(ConnectionTracker.ACTIVE_SINCE_NANOS).get());
        }
        if (bandwidth != null) {
            sampler = new BandwidthSampler(channel, bandwidth, monitoring, new SamplerSource());
            sampler.start();
        } else {
            sampler = null;
        }
    }

    /** Tags the viewer with the attendee its access token names (revoking it disconnects the viewer); before start. */
    public final void admittedAs(String attendeeId) {
        this.attendee = attendeeId;
    }

    /** Marks this subscriber as another cluster node's pull (see {@link Viewer#internal()}); before it starts. */
    public final void admittedAsPull() {
        this.internal = true;
    }

    /**
     * Sends the room's own timestamps instead of a timeline starting at 0 (an internal reader that must keep the
     * program's time, such as a ladder process); before it starts.
     */
    public final void keepRoomTimestamps() {
        this.timestampBase = 0;
    }

    /**
     * Sends the program's renditions beside it as tracks 1..N (numbered in the order of {@code ids} at the play, later
     * ones after them), through {@link #writeTrack}; before the viewer subscribes. {@code ids} is asked again at each
     * program keyframe for renditions that came since; {@code hubs} gives a rendition's hub.
     */
    public final void withRenditionTracks(Supplier<List<String>> ids, Function<String, LiveStream> hubs) {
        this.renditionIds = ids;
        this.renditionHubs = hubs;
        this.tracks = new RenditionTracks(new TrackOwner());
    }

    /** Whether the renditions go beside the program ({@link #withRenditionTracks}). */
    protected final boolean hasRenditionTracks() {
        return tracks != null;
    }

    @Override
    public final boolean internal() {
        return internal;
    }

    @Override
    public final String attendee() {
        return attendee;
    }

    /**
     * How watched viewers are sampled.
     *
     * @param intervalNanos sampling window
     * @param unsentLimitBytes TCP_NOTSENT_LOWAT on epoll sockets, 0 for the kernel default
     */
    public record Monitoring(long intervalNanos, long unsentLimitBytes) {
    }

    @Override
    public final Executor executor() {
        return channel.eventLoop();
    }

    /**
     * On its own loop, unless it plays renditions beside the program: their tracks subscribe after the program, so the
     * start stays queued behind them.
     */
    @Override
    public final boolean startsWithinSubscribe() {
        return tracks == null && channel.eventLoop().inEventLoop();
    }

    @Override
    public final void onStreamStart(StreamStart start) {
        if (ended) {
            return;
        }
        leaveStep();
        dropPolicy.restart();
        if (firstFrame != null && !firstFrame.streamStarted(start.afterWait())) {
            firstFrame = null;
        }
        started(start);
        requestFlush();
    }

    /** Takes the frame's reference: written (the protocol's {@link #write} takes it on) or released here. */
    @Override
    public final void onFrame(MediaFrame frame) {
        onFrame(frame, System.nanoTime());
    }

    /** As {@link #onFrame(MediaFrame)}, at {@code now} read once for the batch of viewers. */
    @Override
    public final void onFrame(MediaFrame frame, long now) {
        InStep step = inStep;
        if (step != null) {
            if (step.took(frame, now)) {
                frame.release(); // written when the viewer catches up, at its flush
                return;
            }
            leaveStep();
        }
        if (ended || !channel.isActive()) {
            frame.release();
            return;
        }
        switch (dropPolicy.decide(frame, channel.isWritable(), queuedBytes(), now)) {
            case DELIVER -> {
                FRAMES_SENT.setOpaque(this, framesSent + 1);
                LAST_DELIVERY.setOpaque(this, now);
                if (timestampBase < 0) {
                    timestampBase = frame.timestamp();
                }
                BYTES_SENT.setOpaque(this, bytesSent + frame.size());
                totals.sent(frame.size());
                if (firstFrame != null && firstFrame.delivered(frame, now)) {
                    firstFrame = null;
                }
                if (tracks != null && frame instanceof VideoFrame video && video.isRandomAccessPoint()) {
                    tracks.follow(renditionIds.get(), renditionHubs); // a rendition may have come since the last keyframe
                }
                write(frame);
                requestFlush();
            }
            case DROP -> {
                frame.release();
                lag.afterDrop();
            }
            case DISCONNECT -> {
                frame.release();
                end(ViewerEnd.tooSlow());
            }
        }
    }

    /** A joiner's start frames go out at once rather than with the loop's next batch. */
    @Override
    public final void onStartFramesDelivered() {
        if (!ended && channel.isActive()) {
            channel.flush();
        }
    }

    @Override
    public final void onStreamStop(StreamStop reason) {
        if (!ended) {
            leaveStep();
            stopped(reason);
            requestFlush();
        }
    }

    /** The hub dropped this viewer (room closed, server closing). */
    @Override
    public final void onClosed(String reason) {
        end(ViewerEnd.stopped(reason));
    }

    @Override
    public final void kick(String reason) {
        channel.eventLoop().execute(() -> end(ViewerEnd.stopped(reason)));
    }

    /**
     * Ends the viewer, whatever the cause; only the first call does anything. In order: no more frames, sampling or
     * lag checks; the watch's counts leave the room; the protocol's {@link #farewell} (which closes the connection
     * unless the client already went); the subscription closes; the departure is reported ({@link #departed}).
     */
    protected final void end(ViewerEnd end) {
        if (ended) {
            return;
        }
        leaveStep();
        ended = true;
        lag.close();
        if (sampler != null) {
            sampler.close();
        }
        if (tracks != null) {
            tracks.close();
        }
        farewell(end);
        unsubscribe();
        departed(end);
    }

    /** Whether {@link #end} was called. */
    protected final boolean hasEnded() {
        return ended;
    }

    /** A flagged viewer is only told (the room warns) or ended (the room enforces its rate). */
    private void below(BandwidthVerdict verdict) {
        if (sampler.bandwidth().requirement().policy() != BandwidthPolicy.ENFORCE) {
            flagged(verdict);
            return;
        }
        sampler.bandwidth().room().disconnected();
        end(ViewerEnd.belowBandwidth(verdict));
    }

    /** Where the rendition tracks go: this viewer's connection, through the protocol's {@link #writeTrack}. */
    private final class TrackOwner implements RenditionTracks.Owner {
        @Override
        public Executor executor() {
            return channel.eventLoop();
        }

        @Override
        public long timelineBase() {
            return timestampBase;
        }

        @Override
        public boolean writable() {
            return !ended && subscription != null && channel.isActive() && channel.isWritable();
        }

        @Override
        public void writeTrack(int track, MediaFrame frame) {
            ChannelViewer.this.writeTrack(track, frame);
        }
    }

    /** What the sampler reads of this viewer. */
    private final class SamplerSource implements BandwidthSampler.Source {
        @Override
        public long bytesSent() {
            return ChannelViewer.this.bytesSent();
        }

        @Override
        public long bytesDropped() {
            return lag.bytesDropped();
        }

        @Override
        public long queuedBytes() {
            return ChannelViewer.this.queuedBytes();
        }

        @Override
        public void below(BandwidthVerdict verdict) {
            ChannelViewer.this.below(verdict);
        }
    }

    /**
     * One monitoring window of this viewer, as its loop's {@link DeliveryMonitor} runs it (public for benchmarks);
     * nothing when the viewer is not watched or has ended.
     */
    public final void sampleDelivery(long nowNanos, TcpFigures figures) {
        if (sampler != null) {
            sampler.sampleDelivery(nowNanos, figures);
        }
    }

    /** The bandwidth watch, or null when the viewer is not monitored. */
    public final ViewerBandwidth bandwidth() {
        return sampler == null ? null : sampler.bandwidth();
    }

    @Override
    public final void flushNow() {
        flushQueued = false;
        InStep step = inStep;
        if (step != null && step.taken() == takenAtFlush && !idle(step)) {
            // Nothing was taken for it since its last flush, and a follower is written nothing else: no flush to do.
            flushQueued = true;
            batcher.request(this);
            return;
        }
        if (channel.isActive()) {
            channel.flush();
            long queued = queuedBytes();
            if (sampler != null) {
                sampler.flushed(queued);
            }
            stepAfterFlush(queued);
        }
    }

    /**
     * After a flush, a viewer that would be sent every frame until its next flush (nothing to time or to add beside the
     * frames, and its drop policy lets everything through while its queue only drains) follows or keeps following its
     * loop's others in step, when the protocol has them ({@link #followInStep}); it then stays queued for the loop's
     * flushes, since frames no longer reach it one by one to ask. Any other viewer is handed frames one by one.
     */
    private void stepAfterFlush(long queued) {
        boolean eligible = !ended && firstFrame == null && tracks == null && timestampBase >= 0
                && dropPolicy.deliversAll(channel.isWritable(), queued);
        if (inStep != null && (!eligible || idle(inStep))) {
            leaveStep();
            return;
        }
        if (eligible && inStep == null) {
            inStep = followInStep();
        }
        if (inStep != null) {
            takenAtFlush = inStep.taken();
            flushQueued = true;
            batcher.request(this);
        }
    }

    /** Whether {@code step} took no frame for {@link #IN_STEP_IDLE_NANOS}: its followers then leave at their flush. */
    private static boolean idle(InStep step) {
        return System.nanoTime() - step.lastTakenNanos() > IN_STEP_IDLE_NANOS;
    }

    /** Stops following the viewers in step, if it does: the protocol writes what was taken for it, unflushed. */
    private void leaveStep() {
        if (inStep != null) {
            leaveInStep();
            inStep = null;
        }
    }

    /**
     * The protocol's group of this loop's viewers in step that this viewer (just flushed, its timeline started) may
     * follow, or null, the default: each frame is then handed to the viewer's {@link #write}. While it follows, the
     * protocol tells what was written for it with {@link #caughtUp} and when it stopped with {@link #leftInStep}.
     */
    protected InStep followInStep() {
        return null;
    }

    /** Stops following the group {@link #followInStep} gave, writing (without flushing) what it took for this viewer. */
    protected void leaveInStep() {
    }

    /** {@code frames} of {@code bytes} taken in step were written to this viewer: counted as if written one by one. */
    protected final void caughtUp(long frames, long bytes) {
        FRAMES_SENT.setOpaque(this, framesSent + frames);
        BYTES_SENT.setOpaque(this, bytesSent + bytes);
        if (inStep != null) {
            LAST_DELIVERY.setOpaque(this, inStep.lastTakenNanos());
        }
        totals.sentInStep(frames, bytes);
    }

    /** The viewer follows its group no more (the protocol wrote something else to it, or the group ended). */
    protected final void leftInStep() {
        inStep = null;
    }

    @Override
    public final int phase() {
        return flushPhase;
    }

    private void requestFlush() {
        if (!flushQueued) {
            flushQueued = true;
            batcher.request(this);
        }
    }

    /**
     * The frame's timestamp on this viewer's own timeline, which starts at 0 with the first frame it was sent
     * (as FMS does): players see metadata at 0 (ffmpeg would otherwise turn it into a text stream) and no
     * jump from zero to the room's running time. The room's timeline is continuous, so this one is too.
     */
    protected final long viewerTimestamp(MediaFrame frame) {
        return Math.max(0, frame.timestamp() - Math.max(0, timestampBase));
    }

    /**
     * The room timestamp this viewer's timeline starts at (its first frame's, or 0 when it keeps the room's
     * timestamps), -1 before its first frame: where frames sent beside the room's, on its timeline, are put.
     */
    protected final long timelineBase() {
        return timestampBase;
    }

    /**
     * Counts {@code bytes} written beside the room's frames (another track of the same connection) as sent and asks
     * for a flush, as a frame of the room's does.
     */
    protected final void wroteBeside(int bytes) {
        BYTES_SENT.setOpaque(this, bytesSent + bytes);
        totals.sent(bytes);
        requestFlush();
    }

    /**
     * How long the queued bytes take to drain at {@code bitsPerSecond}, with half again as margin and two seconds
     * more, at most {@code maxMillis}: the grace a last status gets to reach a slow viewer before the close.
     */
    protected final long drainMillis(long bitsPerSecond, long maxMillis) {
        long rate = Math.max(bitsPerSecond, 64_000);
        long millis = 2000 + queuedBytes() * 8 * 1500 / rate;
        return Math.min(maxMillis, millis);
    }

    /** The batcher that flushes this viewer, shared by its event loop's viewers. */
    protected final FlushBatcher flushBatcher() {
        return batcher;
    }

    /** Bytes waiting in the channel's outbound queue. */
    protected final long queuedBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        // Pending counts a message whole until it is gone: less what the socket already took of the current one.
        return buffer == null ? 0 : Math.max(0, buffer.totalPendingWriteBytes() - buffer.currentProgress());
    }

    /**
     * Starts (or, after a pause, resumes) receiving the room's frames, and the renditions' tracks after them;
     * nothing once ended.
     */
    protected final void subscribeTo(LiveStream live) {
        if (subscription == null && !ended) {
            subscription = live.subscribe(this);
            if (ended) {
                unsubscribe(); // ended by its own start frames (handed over within the subscribe)
            } else if (tracks != null) {
                tracks.pause(false);
                tracks.follow(renditionIds.get(), renditionHubs);
            }
        }
    }

    /** Stops receiving frames, the renditions' tracks too, while staying connected (a paused player). */
    protected final void unsubscribe() {
        leaveStep();
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        if (tracks != null) {
            tracks.pause(true);
        }
    }

    /** Whether the viewer receives frames now (not paused, not ended). */
    protected final boolean subscribed() {
        return subscription != null;
    }

    /** How the viewing went, for the departure log line: "after N s, F frames, B bytes, D dropped". */
    protected final String departureFigures() {
        return "after " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - joinedNanos) + " s, " + framesSent() + " frames, "
                + bytesSent() + " bytes, " + drops().totalFrames() + " dropped";
    }

    /** {@link System#nanoTime()} of the last frame delivered (or of the join). */
    public final long lastDeliveryNanos() {
        return (long) LAST_DELIVERY.getOpaque(this);
    }

    /** Frames handed to the channel. */
    public final long framesSent() {
        return (long) FRAMES_SENT.getOpaque(this);
    }

    @Override
    public final long bytesSent() {
        return (long) BYTES_SENT.getOpaque(this);
    }

    @Override
    public final DropCounters drops() {
        return lag.drops();
    }

    @Override
    public final long viewerId() {
        return viewerId;
    }

    @Override
    public final SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public final long joinedAtMillis() {
        return joinedAtMillis;
    }

    @Override
    public final boolean lagging() {
        return lag.behind();
    }

    /** The stream became visible: announce it in the protocol's way. */
    protected abstract void started(StreamStart start);

    /** Writes one frame without flushing; takes ownership of the frame's reference. */
    protected abstract void write(MediaFrame frame);

    /**
     * Writes a rendition's frame (already on the viewer's timeline) as track {@code track} beside the program, counting
     * it with {@link #wroteBeside}; takes the frame's reference. A protocol that cannot carry tracks releases it, as
     * this default does.
     */
    protected void writeTrack(int track, MediaFrame frame) {
        frame.release();
    }

    /** The stream stopped being visible. */
    protected abstract void stopped(StreamStop reason);

    /**
     * The viewer is found persistently below its room's required rate and the room only warns: log it, tell the
     * client if the protocol can. The viewer plays on.
     */
    protected abstract void flagged(BandwidthVerdict verdict);

    /**
     * The protocol's goodbye, called once by {@link #end} after everything is released: tell the client why (if
     * the cause is not {@link ViewerEnd.Cause#LEFT}) and close the connection.
     */
    protected abstract void farewell(ViewerEnd end);

    /** Reports the departure (activity listeners, the log), called once by {@link #end} as its last step. */
    protected abstract void departed(ViewerEnd end);
}
