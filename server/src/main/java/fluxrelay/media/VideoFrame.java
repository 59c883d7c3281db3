package fluxrelay.media;

import io.netty.buffer.ByteBuf;

/**
 * A video tag: codec, packet kind, keyframe flag and composition time offset, parsed once at ingest.
 *
 * @param timestamp decode timestamp, ms
 * @param codec the codec (legacy CodecID or Enhanced RTMP FourCC)
 * @param kind sequence header, coded frame, end of sequence or other
 * @param keyframe true for a keyframe (FLV FrameType 1), also set on sequence headers
 * @param compositionTime presentation minus decode time, ms (0 where the format has none)
 * @param dataOffset offset of the codec data in the payload
 * @param payload the FLV tag body; this record owns one reference
 * @param track the Enhanced RTMP v2 video track id: 0 for the default track, which is all a single-track encoder
 *     sends; a frame of a multitrack message carries a single-track tag body made for its track
 */
public record VideoFrame(long timestamp, VideoCodec codec, VideoPacketKind kind, boolean keyframe,
                         int compositionTime, int dataOffset, ByteBuf payload, int track) implements MediaFrame {

    /** A frame of the default track (0). */
    public VideoFrame(long timestamp, VideoCodec codec, VideoPacketKind kind, boolean keyframe, int compositionTime,
                      int dataOffset, ByteBuf payload) {
        this(timestamp, codec, kind, keyframe, compositionTime, dataOffset, payload, 0);
    }

    /** The same frame on another track, sharing this frame's payload reference (no retain). */
    public VideoFrame withTrack(int newTrack) {
        return new VideoFrame(timestamp, codec, kind, keyframe, compositionTime, dataOffset, payload, newTrack);
    }

    /** True for a coded keyframe, where a viewer can start decoding. */
    public boolean isRandomAccessPoint() {
        return keyframe && kind == VideoPacketKind.CODED_FRAME;
    }

    /** True for the decoder configuration record. */
    public boolean isSequenceHeader() {
        return kind == VideoPacketKind.SEQUENCE_HEADER;
    }

    @Override
    public VideoFrame withTimestamp(long newTimestamp) {
        return new VideoFrame(newTimestamp, codec, kind, keyframe, compositionTime, dataOffset, payload, track);
    }

    @Override
    public VideoFrame retainedDuplicate() {
        return new VideoFrame(timestamp, codec, kind, keyframe, compositionTime, dataOffset, payload.retainedDuplicate(),
                track);
    }
}
