package fluxrelay.rtmp.session;

import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ViewerBandwidth;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.RenditionTracks;
import fluxrelay.egress.ViewerEnd;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.flv.OneTrackTag;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.chunk.ChunkEncoder;
import fluxrelay.rtmp.chunk.ChunkedBody;
import fluxrelay.rtmp.chunk.Lockstep;
import fluxrelay.rtmp.chunk.MessageTypes;
import fluxrelay.rtmp.chunk.RawMessage;
import fluxrelay.rtmp.command.Replies;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.rtmp.message.ChunkStreamIds;
import fluxrelay.rtmp.message.UserControl;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The playing side of a NetStream: FMS play semantics ({@code Stream Begin}, {@code Play.Reset},
 * {@code Play.Start}, {@code |RtmpSampleAccess}, {@code PublishNotify}/{@code UnpublishNotify} while the room
 * comes and goes) over frames from the room's hub, each written as one RTMP message whose chunked body is
 * cut once per event loop and shared by the loop's viewers, and whose complete encodings between two flushes go
 * out as one slice per viewer ({@link SharedChunks}).
 *
 * <p>When the room's encoder stops, the viewer is told ({@code Stream EOF}, {@code UnpublishNotify}) only once the
 * publisher gap grace passed without a new encoder: ffmpeg and rtmpdump end their play on {@code UnpublishNotify} and
 * GStreamer on {@code Stream EOF}, so an encoder that reconnects, or a newcomer that takes a stale encoder's place,
 * carries on silently. The player then sees the new encoder's metadata and sequence headers followed by its first
 * keyframe, on the room's timeline, which went on across the gap.
 *
 * <p>A player that announced Enhanced RTMP v2 multitrack ({@code capsEx} Multitrack in its {@code connect}) and plays a
 * room's program receives the program unchanged as track 0 and each rendition of it as a OneTrack multitrack message
 * of track 1..N ({@link RenditionTracks}, {@link OneTrackTag}), on chunk streams of their own. A track message is
 * wrapped and chunked once per event loop for the multitrack viewers of the loop, and those viewers, sent the same
 * messages in the same order, merge their writes with each other (not with the program's plain viewers).
 */
final class RtmpViewer extends ChannelViewer {

    private static final Logger log = LoggerFactory.getLogger(RtmpViewer.class);

    private static final long BANDWIDTH_CLOSE_GRACE_MAX_MS = 20_000;

    private final ChannelHandlerContext ctx;
    private final int streamId;
    private final Room room;
    private final ChunkEncoder chunkEncoder;
    /** The connection's loop and allocator, asked per frame: kept rather than looked up through the channel each time. */
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final Duration publisherGapGrace;
    private LiveStream live;
    /** Whom this viewer is in step with, for the loop's merged writes: its hub, or its program's multitrack viewers. */
    private Object runGroup;
    /** The unpublish the viewer is told of unless a new encoder starts first; null when none is due. */
    private ScheduledFuture<?> unpublishDue;
    /** The viewer was told the stream was unpublished and hears of the next publish. */
    private boolean toldUnpublished;

    private final fluxrelay.rooms.ActivityListener activity;

    /**
     * A viewer whose delivery rate is watched when {@code bandwidth} is not null, told of an unpublish once
     * {@code publisherGapGrace} passed without a new encoder (at once when zero).
     */
    RtmpViewer(ChannelHandlerContext ctx, int streamId, Room room, ViewerLimits limits, fluxrelay.egress.EgressCounters egress,
               fluxrelay.rooms.ActivityListener activity, ViewerBandwidth bandwidth, Monitoring monitoring,
               Duration publisherGapGrace) {
        super(ctx.channel(), limits, egress, bandwidth, monitoring);
        this.publisherGapGrace = publisherGapGrace;
        this.activity = activity;
        this.ctx = ctx;
        this.streamId = streamId;
        this.room = room;
        this.chunkEncoder = ctx.pipeline().get(ChunkEncoder.class);
        this.loop = ctx.channel().eventLoop();
        this.alloc = ctx.alloc();
    }

    void start(LiveStream live) {
        start(live, null);
    }

    /**
     * Starts playing {@code live}; a viewer given a rendition instead of the program ({@code moved} not null) is told in
     * its {@code NetStream.Play.Start} (the code players wait for, unchanged): the description names the rendition and
     * the figures, and fields {@code rendition}, {@code measuredMbps} and {@code requiredMbps} carry them.
     */
    void start(LiveStream live, fluxrelay.playback.PlayDecision.MovedDown moved) {
        this.live = live;
        this.runGroup = hasRenditionTracks() ? new WithTracks(live) : live;
        ctx.write(UserControl.streamBegin(streamId));
        ctx.write(status(StatusCodes.PLAY_RESET, "Playing and resetting " + room.id() + "."));
        ctx.write(moved == null ? status(StatusCodes.PLAY_START, "Started playing " + room.id() + ".")
                : Replies.onStatus(streamId, StatusCodes.LEVEL_STATUS, StatusCodes.PLAY_START, moved.description() + ".",
                        "rendition", moved.rendition(), "measuredMbps", megabits(moved.measuredBitsPerSecond()),
                        "requiredMbps", megabits(moved.requiredBitsPerSecond())));
        ctx.writeAndFlush(new RawMessage(ChunkStreamIds.STREAM_STATUS, MessageTypes.DATA_AMF0, 0, streamId,
                Replies.sampleAccess(ctx.alloc())));
        subscribeTo(live);
        activity.playStarted(room, protocol(), ctx.channel().remoteAddress());
        log.info("{}: viewer joined room {} (rtmp)", ctx.channel().remoteAddress(), room.id());
    }

    String roomId() {
        return room.id();
    }

    void pause(boolean pause) {
        if (pause && subscribed()) {
            unsubscribe();
            ctx.writeAndFlush(status(StatusCodes.PAUSE_NOTIFY, "Pausing " + room.id() + "."));
        } else if (!pause && !subscribed() && !hasEnded()) {
            ctx.writeAndFlush(status(StatusCodes.UNPAUSE_NOTIFY, "Unpausing " + room.id() + "."));
            subscribeTo(live);
        }
    }

    /** The client went: its connection closed, it deleted the stream or replaced the play. */
    void stop(String why) {
        end(ViewerEnd.left(why));
    }

    @Override
    public String protocol() {
        return "rtmp";
    }

    /**
     * A viewer that was told of an unpublish, or that waited for the room from its play, hears of the publish; one
     * whose encoder came back within the grace hears nothing and simply gets the new encoder's frames.
     */
    @Override
    protected void started(StreamStart start) {
        if (cancelUnpublishDue()) {
            return;
        }
        if (start.afterWait() || toldUnpublished) {
            toldUnpublished = false;
            ctx.write(UserControl.streamBegin(streamId));
            ctx.write(status(StatusCodes.PLAY_PUBLISH_NOTIFY, room.id() + " is now published."));
        }
    }

    /** The chunk stream a frame of the room is sent on. */
    static int chunkStreamOf(MediaFrame frame) {
        return frame instanceof VideoFrame ? ChunkStreamIds.VIDEO
                : frame instanceof AudioFrame ? ChunkStreamIds.AUDIO : ChunkStreamIds.STREAM_STATUS;
    }

    /** The RTMP message type a frame of the room is sent as. */
    static int messageTypeOf(MediaFrame frame) {
        return frame instanceof VideoFrame ? MessageTypes.VIDEO
                : frame instanceof AudioFrame ? MessageTypes.AUDIO : MessageTypes.DATA_AMF0;
    }

    @Override
    protected void write(MediaFrame frame) {
        int csid = chunkStreamOf(frame);
        int type = messageTypeOf(frame);
        long timestamp = viewerTimestamp(frame) & 0xFFFFFFFFL;
        if (chunkEncoder != null) {
            SharedChunks shared = SharedChunks.current();
            ChunkedBody body = shared.bodyFor(frame, loop, alloc, chunkEncoder.outgoingChunkSize(),
                    csid, timestamp);
            if (body != null && shared.writeShared(chunkEncoder, flushBatcher(), alloc, runGroup, csid, type,
                    timestamp, streamId, body)) {
                frame.release();
                return;
            }
        }
        // The frame's reference passes to the message; the chunk encoder releases it once written.
        ctx.write(new RawMessage(csid, type, timestamp, streamId, frame.payload()), ctx.voidPromise());
    }

    /**
     * A viewer of the room's program alone (no rendition tracks) may follow the lockstep of its hub's viewers on the
     * loop, when the loop merges writes in blocks.
     */
    @Override
    protected InStep followInStep() {
        if (chunkEncoder == null || runGroup != live) {
            return null;
        }
        return SharedChunks.current().follow(chunkEncoder, flushBatcher(), loop, alloc, live, streamId,
                Math.max(0, timelineBase()), stepFollower);
    }

    @Override
    protected void leaveInStep() {
        chunkEncoder.leaveStep();
    }

    /** What the chunk encoder tells of the lockstep this viewer follows. */
    private final Lockstep.Follower stepFollower = new Lockstep.Follower() {
        @Override
        public void caughtUp(long messages, long bytes) {
            RtmpViewer.this.caughtUp(messages, bytes);
        }

        @Override
        public void left() {
            leftInStep();
        }
    };

    /** A room taken off the air is told at once; an encoder that stopped only once the grace passed without another. */
    @Override
    protected void stopped(StreamStop reason) {
        if (reason == StreamStop.UNPUBLISHED && !publisherGapGrace.isZero()) {
            if (unpublishDue == null) {
                unpublishDue = ctx.executor().schedule(this::graceOver, publisherGapGrace.toNanos(), TimeUnit.NANOSECONDS);
            }
            return;
        }
        tellUnpublished();
    }

    private void graceOver() {
        unpublishDue = null;
        if (!hasEnded() && ctx.channel().isActive()) {
            tellUnpublished();
            ctx.flush();
        }
    }

    private void tellUnpublished() {
        cancelUnpublishDue();
        if (!toldUnpublished) {
            toldUnpublished = true;
            ctx.write(UserControl.streamEof(streamId));
            ctx.write(status(StatusCodes.PLAY_UNPUBLISH_NOTIFY, room.id() + " is now unpublished."));
        }
    }

    /** Forgets the unpublish that was due, if any; true when there was one. */
    private boolean cancelUnpublishDue() {
        if (unpublishDue == null) {
            return false;
        }
        unpublishDue.cancel(false);
        unpublishDue = null;
        return true;
    }

    @Override
    protected void flagged(BandwidthVerdict verdict) {
        log.warn("{}: viewer of room {} persistently below the required rate ({}), flagged", ctx.channel().remoteAddress(),
                room.id(), verdict.figures());
        ctx.writeAndFlush(Replies.onStatus(streamId, StatusCodes.LEVEL_WARNING, StatusCodes.PLAY_INSUFFICIENT_BW,
                "Your connection is too slow for this stream: " + verdict.figures() + "."));
    }

    @Override
    protected void farewell(ViewerEnd end) {
        cancelUnpublishDue();
        switch (end.cause()) {
            case LEFT -> {
                // The client went or replaced the play: nothing to tell it.
            }
            case STOPPED -> {
                ctx.write(UserControl.streamEof(streamId));
                ctx.writeAndFlush(status(StatusCodes.PLAY_STOP, end.reason())).addListener(ChannelFutureListener.CLOSE);
            }
            case TOO_SLOW -> {
                log.warn("{}: viewer of room {} stayed behind too long, disconnecting ({} frames dropped)",
                        ctx.channel().remoteAddress(), room.id(), drops().totalFrames());
                ctx.writeAndFlush(Replies.onStatus(streamId, StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_INSUFFICIENT_BW,
                        "Your connection is too slow for this stream: disconnected after falling behind."))
                        .addListener(ChannelFutureListener.CLOSE);
                // The status waits behind a full queue that may never drain: close regardless after a grace second.
                ctx.executor().schedule(() -> ctx.close(), 1, TimeUnit.SECONDS);
            }
            case BELOW_BANDWIDTH -> {
                BandwidthVerdict verdict = end.verdict();
                log.warn("{}: viewer of room {} persistently below the required rate ({}), disconnecting",
                        ctx.channel().remoteAddress(), room.id(), verdict.figures());
                // The status queues behind what the slow link still has to drain (no more frames are added). Once
                // written, the connection half-closes and lingers (Farewell), so the player's acknowledgements cannot
                // reset it before it has read the status; closed regardless once the queue should have drained at the
                // measured rate.
                Farewell.send(ctx, Replies.onStatus(streamId, StatusCodes.LEVEL_ERROR, StatusCodes.PLAY_INSUFFICIENT_BW,
                        "Your connection is too slow for this stream: " + verdict.figures() + ". Disconnected."));
                long grace = drainMillis(verdict.measurement().bitsPerSecond(), BANDWIDTH_CLOSE_GRACE_MAX_MS) + 2000;
                ctx.executor().schedule(() -> ctx.close(), grace, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    protected void departed(ViewerEnd end) {
        activity.playEnded(room, protocol(), ctx.channel().remoteAddress(), System.currentTimeMillis() - joinedAtMillis(),
                bytesSent());
        log.info("{}: viewer left room {} (rtmp, {}) {}", ctx.channel().remoteAddress(), room.id(), end.reason(),
                departureFigures());
    }

    /** A rendition's frame as a OneTrack multitrack message on the track chunk streams. */
    @Override
    protected void writeTrack(int track, MediaFrame frame) {
        boolean video = frame instanceof VideoFrame;
        int csid = video ? ChunkStreamIds.TRACK_VIDEO : ChunkStreamIds.TRACK_AUDIO;
        int type = video ? MessageTypes.VIDEO : MessageTypes.AUDIO;
        long timestamp = frame.timestamp() & 0xFFFFFFFFL;
        if (chunkEncoder != null) {
            SharedChunks shared = SharedChunks.current();
            ChunkedBody chunked = shared.trackBodyFor(frame, track, loop, alloc,
                    chunkEncoder.outgoingChunkSize(), csid, timestamp);
            if (chunked != null && shared.writeShared(chunkEncoder, flushBatcher(), alloc, runGroup, csid, type,
                    timestamp, streamId, chunked)) {
                frame.release();
                wroteBeside(chunked.payloadLength());
                return;
            }
        }
        ByteBuf body = OneTrackTag.wrap(video, frame.payload(), track, ctx.alloc());
        frame.release();
        if (body == null) {
            return; // no OneTrack form (a legacy codec without a FourCC, a command frame): left out
        }
        wroteBeside(body.readableBytes());
        // The message takes the body's reference; the chunk encoder releases it once written.
        ctx.write(new RawMessage(csid, type, timestamp, streamId, body), ctx.voidPromise());
    }

    /** A rate in megabit/s to three decimals, as AMF numbers carry it. */
    private static double megabits(long bitsPerSecond) {
        return Math.round(bitsPerSecond / 1e3) / 1e3;
    }

    /** The run group of a multitrack viewer: sent its program and the renditions' tracks, unlike the program's viewers. */
    private record WithTracks(LiveStream program) {
    }

    private Object status(String code, String description) {
        return Replies.onStatus(streamId, StatusCodes.LEVEL_STATUS, code, description);
    }
}
