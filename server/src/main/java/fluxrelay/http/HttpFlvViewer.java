package fluxrelay.http;

import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ViewerBandwidth;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.RenditionTracks;
import fluxrelay.egress.ViewerEnd;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.flv.FlvTagHeader;
import fluxrelay.flv.OneTrackTag;
import fluxrelay.media.MediaFrame;
import fluxrelay.media.VideoFrame;
import fluxrelay.rooms.Room;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamStart;
import fluxrelay.stream.StreamStop;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP-FLV viewer: the room's frames as FLV tags in one endless chunked response. Each tag is the
 * viewer's own 11-byte header and 4-byte trailer around the hub's shared payload, never copied.
 *
 * <p>Asked with {@code ?tracks=all}, the program's renditions follow beside it as Enhanced RTMP v2 OneTrack multitrack
 * tags of tracks 1..N ({@link RenditionTracks}, {@link OneTrackTag}); the program stays track 0, unchanged.
 */
final class HttpFlvViewer extends ChannelViewer {

    private static final Logger log = LoggerFactory.getLogger(HttpFlvViewer.class);

    private final Room room;

    private final fluxrelay.rooms.ActivityListener activity;

    /** A viewer whose delivery rate is watched when {@code bandwidth} is not null. */
    HttpFlvViewer(Channel channel, Room room, ViewerLimits limits, fluxrelay.egress.EgressCounters egress,
                  fluxrelay.rooms.ActivityListener activity, ViewerBandwidth bandwidth, Monitoring monitoring) {
        super(channel, limits, egress, bandwidth, monitoring);
        this.activity = activity;
        this.room = room;
    }

    void start(LiveStream live) {
        subscribeTo(live);
        channel.closeFuture().addListener(f -> channel.eventLoop().execute(() -> end(ViewerEnd.left("connection closed"))));
        activity.playStarted(room, protocol(), channel.remoteAddress());
        log.info("{}: viewer joined room {} (http-flv)", channel.remoteAddress(), room.id());
    }

    @Override
    public String protocol() {
        return "http-flv";
    }

    @Override
    protected void started(StreamStart start) {
        // The FLV stream simply continues: the new publisher's sequence headers and keyframe follow.
    }

    @Override
    protected void write(MediaFrame frame) {
        // The frame's reference moves into the tag.
        writeTag(FlvTagHeader.tagType(frame), viewerTimestamp(frame), frame.payload().duplicate());
    }

    /** Writes one FLV tag around {@code body}, whose reference moves into the tag the HTTP encoder releases. */
    private void writeTag(int tagType, long timestamp, ByteBuf body) {
        int size = body.readableBytes();
        ByteBuf header = channel.alloc().buffer(FlvTagHeader.LENGTH);
        FlvTagHeader.write(header, tagType, timestamp, size);
        ByteBuf trailer = channel.alloc().buffer(FlvTagHeader.TRAILER_LENGTH);
        FlvTagHeader.writePreviousTagSize(trailer, size);
        CompositeByteBuf tag = channel.alloc().compositeBuffer(3);
        tag.addComponents(true, header, body, trailer);
        channel.write(new DefaultHttpContent(tag), channel.voidPromise());
    }

    @Override
    protected void stopped(StreamStop reason) {
        // Viewers stay connected while the publisher is away; the stream resumes on the same response.
    }

    @Override
    protected void flagged(BandwidthVerdict verdict) {
        log.warn("{}: http-flv viewer of room {} persistently below the required rate ({}), flagged",
                channel.remoteAddress(), room.id(), verdict.figures());
    }

    @Override
    protected void farewell(ViewerEnd end) {
        switch (end.cause()) {
            case LEFT -> {
                // The connection is already closing.
            }
            case STOPPED -> channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            case TOO_SLOW -> {
                log.warn("{}: http-flv viewer of room {} stayed behind too long, disconnecting ({} frames dropped)",
                        channel.remoteAddress(), room.id(), drops().totalFrames());
                channel.close();
            }
            case BELOW_BANDWIDTH -> {
                BandwidthVerdict verdict = end.verdict();
                log.warn("{}: http-flv viewer of room {} persistently below the required rate ({}), disconnecting",
                        channel.remoteAddress(), room.id(), verdict.figures());
                // The response ends cleanly once the link has drained what is queued; closed regardless after a grace
                // period.
                channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                channel.eventLoop().schedule(() -> channel.close(), drainMillis(verdict.measurement().bitsPerSecond(), 20_000),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /** A rendition's frame as a OneTrack multitrack tag of this response. */
    @Override
    protected void writeTrack(int track, MediaFrame frame) {
        boolean video = frame instanceof VideoFrame;
        ByteBuf body = OneTrackTag.wrap(video, frame.payload(), track, channel.alloc());
        int tagType = FlvTagHeader.tagType(frame);
        long timestamp = frame.timestamp();
        frame.release();
        if (body != null) { // else no OneTrack form (a legacy codec without a FourCC): left out
            wroteBeside(body.readableBytes() + FlvTagHeader.LENGTH + FlvTagHeader.TRAILER_LENGTH);
            writeTag(tagType, timestamp, body);
        }
    }

    @Override
    protected void departed(ViewerEnd end) {
        activity.playEnded(room, protocol(), channel.remoteAddress(), System.currentTimeMillis() - joinedAtMillis(), bytesSent());
        log.info("{}: viewer left room {} (http-flv, {}) {}", channel.remoteAddress(), room.id(), end.reason(),
                departureFigures());
    }
}
