package fluxrelay.flv;

import fluxrelay.media.MediaFrame;
import io.netty.buffer.ByteBuf;

/**
 * Turns an FLV tag body (equally an RTMP audio, video or data message payload) into a
 * {@link MediaFrame}, reading its header once at ingest: codec, packet kind, keyframe flag,
 * composition time and where the codec data starts (FLV spec v10.1 E.4.2, E.4.3, E.4.4;
 * Enhanced RTMP v2 ExAudioTagHeader and ExVideoTagHeader).
 */
public final class FlvTagDemuxer {

    /** FLV TagType of an audio tag (E.4.1). */
    public static final int AUDIO = 8;
    /** FLV TagType of a video tag. */
    public static final int VIDEO = 9;
    /** FLV TagType of a script data tag. */
    public static final int SCRIPT = 18;

    private FlvTagDemuxer() {
    }

    /**
     * Reads one tag body.
     *
     * <p>Takes ownership of {@code body}: the returned frame owns that reference, and on any
     * exception the body has been released. The payload's bytes are not copied; for script data
     * the reader index may move past an {@code @setDataFrame} wrapper. Data offsets count from the
     * payload's reader index.
     *
     * @param tagType {@link #AUDIO}, {@link #VIDEO} or {@link #SCRIPT}
     * @param timestamp decode timestamp, ms
     * @throws FlvFormatException for an empty body, an unknown tag type or a malformed header
     */
    public static MediaFrame demux(int tagType, long timestamp, ByteBuf body) {
        try {
            if (!body.isReadable()) {
                throw new FlvFormatException("empty body in tag of type " + tagType);
            }
            return switch (tagType) {
                case AUDIO -> AudioTagHeader.read(timestamp, body);
                case VIDEO -> VideoTagHeader.read(timestamp, body);
                case SCRIPT -> ScriptTagHeader.read(timestamp, body);
                default -> throw new FlvFormatException("unknown tag type " + tagType);
            };
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
    }
}
