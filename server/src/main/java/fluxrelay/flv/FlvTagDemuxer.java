package fluxrelay.flv;

import fluxrelay.media.MediaFrame;
import fluxrelay.media.AudioFrame;
import fluxrelay.media.VideoFrame;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an FLV tag body (equally an RTMP audio, video or data message payload) into a
 * {@link MediaFrame}, reading its header once at ingest: codec, packet kind, keyframe flag,
 * composition time and where the codec data starts (FLV spec v10.1 E.4.2, E.4.3, E.4.4;
 * Enhanced RTMP v2 ExAudioTagHeader and ExVideoTagHeader). {@link #demuxTracks} also splits an
 * Enhanced RTMP v2 multitrack message into one frame per track.
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

    /**
     * Reads one tag body into the frames of its tracks: one frame (track 0) for every message but an
     * Enhanced RTMP v2 multitrack audio or video message, which gives one frame per track in the
     * message's order, each with its {@code track} id and a single-track tag body of its own (see
     * {@link Multitrack}); such frames share the message's bytes without copying them.
     *
     * <p>Takes ownership of {@code body}: each returned frame owns one reference, the caller
     * releases every one; on any exception nothing is left retained. {@link #demux} carries a
     * multitrack message through whole as one opaque frame instead.
     *
     * @throws FlvFormatException as {@link #demux} does, and for a malformed multitrack message
     *     (reserved type, a size past the body, a track id twice, no track)
     */
    public static List<MediaFrame> demuxTracks(int tagType, long timestamp, ByteBuf body) {
        List<Multitrack.Track> tracks;
        try {
            tracks = body.isReadable() && (tagType == AUDIO || tagType == VIDEO)
                    ? Multitrack.split(tagType == VIDEO, body) : null;
        } catch (RuntimeException e) {
            body.release();
            throw e;
        }
        if (tracks == null) {
            return List.of(demux(tagType, timestamp, body));
        }
        body.release(); // each track holds its own reference
        List<MediaFrame> frames = new ArrayList<>(tracks.size());
        try {
            for (int i = 0; i < tracks.size(); i++) {
                Multitrack.Track track = tracks.set(i, null); // demux owns the body from here
                MediaFrame frame = demux(tagType, timestamp, track.body());
                if (frame instanceof VideoFrame video) {
                    frame = video.withTrack(track.id());
                } else if (frame instanceof AudioFrame audio) {
                    frame = audio.withTrack(track.id());
                }
                frames.add(frame);
            }
            return frames;
        } catch (RuntimeException e) {
            frames.forEach(MediaFrame::release);
            tracks.stream().filter(t -> t != null).forEach(t -> t.body().release());
            throw e;
        }
    }
}
