package fluxrelay.rtmp.session;

import fluxrelay.flv.FlvFormatException;
import fluxrelay.flv.FlvTagDemuxer;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.command.Replies;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.rtmp.message.DataMessage;
import fluxrelay.rtmp.message.MediaMessage;
import fluxrelay.stream.PublisherSlot;
import fluxrelay.stream.Publisher;
import io.netty.channel.ChannelHandlerContext;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishing side of a NetStream: demuxes the encoder's audio, video and data messages into media
 * frames for the room's hub, watches the stream against the ingest policy, and answers the hub's
 * questions about the publisher's liveness.
 */
final class IngestPublisher implements Publisher {

    private static final Logger log = LoggerFactory.getLogger(IngestPublisher.class);

    private final ChannelHandlerContext ctx;
    private final int streamId;
    private final Room room;
    private final SessionContext context;
    private final String encoder;
    private final IngestWatch watch;
    private volatile long lastActivityNanos = System.nanoTime();
    private PublisherSlot slot;
    private long startedNanos;
    private long bytes;
    private long frames;
    private long rejectedFrames;
    private boolean stopped;

    private final String streamName;

    IngestPublisher(ChannelHandlerContext ctx, int streamId, Room room, SessionContext context, String encoder, String streamName) {
        this.streamName = streamName;
        this.ctx = ctx;
        this.streamId = streamId;
        this.room = room;
        this.context = context;
        this.encoder = encoder;
        this.watch = new IngestWatch(context.ingestPolicy());
    }

    void start(PublisherSlot slot) {
        this.slot = slot;
        this.startedNanos = System.nanoTime();
        slot.describeEncoder(encoder);
        // An admitted publisher gets the chunk decoder's larger partial-message budget before it learns it may send.
        ctx.pipeline().fireUserEventTriggered(fluxrelay.rtmp.chunk.PeerTrusted.INSTANCE);
        ctx.write(Replies.onStatus(streamId, StatusCodes.LEVEL_STATUS, StatusCodes.PUBLISH_START, "Start publishing"));
        ctx.writeAndFlush(Replies.onFcPublish("onFCPublish", StatusCodes.PUBLISH_START, "Start publishing"));
        log.info("{}: publish started in room {} ({}, encoder '{}')", remoteAddress(), room.id(), room.app(), encoder);
    }

    Room room() {
        return room;
    }

    void media(MediaMessage message) {
        lastActivityNanos = System.nanoTime();
        int type = message.typeId();
        long timestamp = message.timestamp();
        forward(() -> FlvTagDemuxer.demux(type, timestamp, message.content()), message.content().readableBytes());
    }

    void data(DataMessage message) {
        lastActivityNanos = System.nanoTime();
        long timestamp = message.timestamp();
        forward(() -> FlvTagDemuxer.demux(FlvTagDemuxer.SCRIPT, timestamp, message.content()),
                message.content().readableBytes());
    }

    private void forward(java.util.function.Supplier<MediaFrame> demux, int size) {
        MediaFrame frame;
        try {
            frame = demux.get();
        } catch (FlvFormatException e) {
            rejectedFrames++;
            if (rejectedFrames == 1 || rejectedFrames % 100 == 0) {
                log.warn("{}: room {}: unreadable media dropped ({} so far): {}", remoteAddress(), room.id(), rejectedFrames,
                        e.getMessage());
            }
            return;
        }
        bytes += size;
        frames++;
        if (frame instanceof VideoFrame video && video.isSequenceHeader()) {
            List<String> problems = watch.videoHeader(video);
            if (!problems.isEmpty()) {
                String text = String.join("; ", problems);
                if (context.ingestPolicy().strict()) {
                    frame.release();
                    log.warn("{}: room {}: stream refused by policy: {}", remoteAddress(), room.id(), text);
                    stop(false);
                    Farewell.send(ctx, Replies.onStatus(streamId, StatusCodes.LEVEL_ERROR, StatusCodes.PUBLISH_REJECTED,
                            "Stream refused: " + text + "."));
                    return;
                }
                log.warn("{}: room {}: stream outside the live stream policy: {}", remoteAddress(), room.id(), text);
                problems.forEach(slot::warn);
            }
        } else if (frame instanceof ScriptFrame script && script.isMetadata()) {
            String name = IngestWatch.encoderName(script);
            if (name != null && !name.isBlank()) {
                slot.describeEncoder(name);
            }
        }
        slot.publish(frame);
    }

    /** Ends the publish: the client unpublished (or deleted the stream) or the connection is gone. */
    void stop(boolean byClient) {
        if (stopped) {
            return;
        }
        stopped = true;
        if (slot != null) {
            slot.close();
        }
        if (byClient && ctx.channel().isActive()) {
            ctx.writeAndFlush(Replies.onStatus(streamId, StatusCodes.LEVEL_STATUS, StatusCodes.UNPUBLISH_SUCCESS, "Stop publishing"));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
        long seconds = millis / 1000;
        context.activity().publishEnded(room, streamName, remoteAddress(), millis, bytes);
        log.info("{}: publish ended in room {} after {} s, {} frames, {} bytes{}", remoteAddress(), room.id(), seconds, frames,
                bytes, rejectedFrames > 0 ? ", " + rejectedFrames + " unreadable frames dropped" : "");
    }

    /** Flags a video bitrate outside the recommendation once the publish has run a few seconds. */
    void checkBitrate() {
        if (slot == null || stopped || System.nanoTime() - startedNanos < TimeUnit.SECONDS.toNanos(5)) {
            return;
        }
        var ingest = slot.stream().snapshot().ingest();
        String warning = ingest == null ? null : watch.bitrate(ingest.videoKbps());
        if (warning != null) {
            slot.warn(warning);
        }
    }

    @Override
    public long lastActivityNanos() {
        return lastActivityNanos;
    }

    @Override
    public boolean isConnected() {
        return ctx.channel().isActive();
    }

    @Override
    public SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    @Override
    public void evict(String reason) {
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            log.warn("{}: publisher of room {} ended: {}", remoteAddress(), room.id(), reason);
            stopped = true;
            Farewell.send(ctx, Replies.onStatus(streamId, StatusCodes.LEVEL_ERROR, StatusCodes.UNPUBLISH_SUCCESS, reason));
        });
    }
}
