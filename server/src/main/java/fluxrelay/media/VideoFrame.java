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
 */
public record VideoFrame(long timestamp, VideoCodec codec, VideoPacketKind kind, boolean keyframe,
                         int compositionTime, int dataOffset, ByteBuf payload) implements MediaFrame {

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
        return new VideoFrame(newTimestamp, codec, kind, keyframe, compositionTime, dataOffset, payload);
    }

    @Override
    public VideoFrame retainedDuplicate() {
        return new VideoFrame(timestamp, codec, kind, keyframe, compositionTime, dataOffset, payload.retainedDuplicate());
    }
}
