package fluxrelay.rtmp.session;

import fluxrelay.flv.FlvFormatException;
import fluxrelay.flv.FlvTagDemuxer;
import fluxrelay.ingest.Publication;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.rtmp.amf.Amf0Reader;
import fluxrelay.rtmp.amf.AmfException;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.amf.AmfMap;
import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.command.Replies;
import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.rtmp.message.DataMessage;
import fluxrelay.rtmp.message.MediaMessage;
import fluxrelay.stream.Publisher;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.net.SocketAddress;
import java.util.BitSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RTMP side of a publishing NetStream: demuxes the encoder's audio, video and data messages into media
 * frames for its {@link Publication}, answers the hub's questions about the publisher's liveness, and turns
 * the publication's events into RTMP statuses. Holds no policy: that is the ingest service's.
 *
 * <p>Enhanced RTMP v2 multitrack: every track goes to the publication; track 0 is the room's program, as a single-track
 * encoder's frames are, and each other video track becomes a rendition of it (see {@code renditions}).
 */
final class IngestPublisher implements Publisher {

    private static final Logger log = LoggerFactory.getLogger(IngestPublisher.class);

    private final ChannelHandlerContext ctx;
    private final int streamId;
    private volatile long lastActivityNanos = System.nanoTime();
    private Publication publication;
    private final BitSet videoTracks = new BitSet();
    private final BitSet audioTracks = new BitSet();

    IngestPublisher(ChannelHandlerContext ctx, int streamId) {
        this.ctx = ctx;
        this.streamId = streamId;
    }

    /** The publish was admitted: tells the encoder it may send. */
    void start(Publication admitted) {
        this.publication = admitted;
        // An admitted publisher gets the chunk decoder's larger partial-message budget before it learns it may send.
        ctx.pipeline().fireUserEventTriggered(fluxrelay.rtmp.chunk.PeerTrusted.INSTANCE);
        ctx.write(Replies.onStatus(streamId, StatusCodes.LEVEL_STATUS, StatusCodes.PUBLISH_START, "Start publishing"));
        ctx.writeAndFlush(Replies.onFcPublish("onFCPublish", StatusCodes.PUBLISH_START, "Start publishing"));
    }

    Publication publication() {
        return publication;
    }

    void media(MediaMessage message) {
        int type = message.typeId();
        long timestamp = message.timestamp();
        forward(type, timestamp, message.content());
    }

    void data(DataMessage message) {
        forward(FlvTagDemuxer.SCRIPT, message.timestamp(), message.content());
    }

    /** Demuxes one message body (released here) and pushes the frames of track 0. */
    private void forward(int type, long timestamp, ByteBuf content) {
        lastActivityNanos = System.nanoTime();
        int size = content.readableBytes();
        List<MediaFrame> frames;
        try {
            frames = FlvTagDemuxer.demuxTracks(type, timestamp, content);
        } catch (FlvFormatException e) {
            publication.unreadable(e.getMessage());
            return;
        }
        int i = 0;
        try {
            for (; i < frames.size(); i++) {
                MediaFrame frame = frames.get(i);
                if (track(frame) != 0) {
                    noteTrack(frame);
                }
                push(frame, frames.size() == 1 ? size : frame.size());
            }
        } finally {
            for (i++; i < frames.size(); i++) {
                frames.get(i).release(); // only after an exception
            }
        }
    }

    private void push(MediaFrame frame, int size) {
        if (frame instanceof ScriptFrame script && script.isMetadata()) {
            publication.describeEncoder(encoderName(script));
        }
        if (publication.push(frame, size) instanceof Publication.Verdict.Refused refused) {
            Farewell.send(ctx, Replies.onStatus(streamId, StatusCodes.LEVEL_ERROR, StatusCodes.PUBLISH_REJECTED,
                    refused.description()));
        }
    }

    /** A frame of a track other than 0: its track noted, the first of each logged. */
    private void noteTrack(MediaFrame frame) {
        BitSet seen = frame instanceof VideoFrame ? videoTracks : audioTracks;
        int track = track(frame);
        if (!seen.get(track)) {
            seen.set(track);
            log.info("{}: room {}: multitrack: {} video and {} audio tracks besides track 0 received", remoteAddress(),
                    publication.feedId(), videoTracks.cardinality(), audioTracks.cardinality());
        }
    }

    private static int track(MediaFrame frame) {
        if (frame instanceof VideoFrame video) {
            return video.track();
        }
        return frame instanceof AudioFrame audio ? audio.track() : 0;
    }

    /** Ends the publish: the client unpublished (or deleted the stream) or the connection is gone. */
    void stop(boolean byClient) {
        if (publication.ended()) {
            return;
        }
        publication.end(byClient);
        if (byClient && ctx.channel().isActive()) {
            ctx.writeAndFlush(Replies.onStatus(streamId, StatusCodes.LEVEL_STATUS, StatusCodes.UNPUBLISH_SUCCESS, "Stop publishing"));
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
            log.warn("{}: publisher of room {} ended: {}", remoteAddress(), publication.feedId(), reason);
            publication.end(false);
            Farewell.send(ctx, Replies.onStatus(streamId, StatusCodes.LEVEL_ERROR, StatusCodes.UNPUBLISH_SUCCESS, reason));
        });
    }

    /** The {@code encoder} value of {@code onMetaData}, or null. */
    static String encoderName(ScriptFrame metadata) {
        ByteBuf body = metadata.payload().duplicate();
        try {
            List<AmfValue> values = new Amf0Reader(AmfLimits.DEFAULT).readAll(body);
            if (values.size() > 1 && values.get(1) instanceof AmfMap map) {
                return map.getString("encoder");
            }
        } catch (AmfException e) {
            return null;
        }
        return null;
    }
}
