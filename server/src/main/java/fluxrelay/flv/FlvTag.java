package fluxrelay.flv;

import fluxrelay.media.MediaFrame;
import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * One tag read from an FLV file (FLV spec v10.1 E.4.1).
 *
 * @param type TagType: 8 audio, 9 video, 18 script data
 * @param timestamp Timestamp with TimestampExtended as the upper 8 bits, ms
 * @param body the tag body; this record owns one reference, released by {@link #release()}
 *     or handed on by {@link #toFrame()}
 */
public record FlvTag(int type, long timestamp, ByteBuf body) {

    /** Gives up the body reference. */
    public boolean release() {
        return body.release();
    }

    /** Demuxes this tag; the body reference moves to the returned frame (released on exception). */
    public MediaFrame toFrame() {
        return FlvTagDemuxer.demux(type, timestamp, body);
    }

    /** Demuxes this tag into one frame per track (see {@link FlvTagDemuxer#demuxTracks}); the body reference moves to them. */
    public List<MediaFrame> toFrames() {
        return FlvTagDemuxer.demuxTracks(type, timestamp, body);
    }
}
