package fluxrelay.media;

import io.netty.buffer.ByteBuf;

/**
 * An audio tag: codec and whether it is the codec's sequence header (AAC AudioSpecificConfig).
 *
 * @param timestamp decode timestamp, ms
 * @param codec the codec from SoundFormat (or Enhanced RTMP audio FourCC)
 * @param sequenceHeader true for AAC AudioSpecificConfig (AACPacketType 0) and the like
 * @param dataOffset offset of the codec data in the payload
 * @param payload the FLV tag body; this record owns one reference
 * @param track the Enhanced RTMP v2 audio track id: 0 for the default track, which is all a single-track encoder
 *     sends; a frame of a multitrack message carries a single-track tag body made for its track
 */
public record AudioFrame(long timestamp, AudioCodec codec, boolean sequenceHeader, int dataOffset, ByteBuf payload,
                         int track) implements MediaFrame {

    /** A frame of the default track (0). */
    public AudioFrame(long timestamp, AudioCodec codec, boolean sequenceHeader, int dataOffset, ByteBuf payload) {
        this(timestamp, codec, sequenceHeader, dataOffset, payload, 0);
    }

    /** The same frame on another track, sharing this frame's payload reference (no retain). */
    public AudioFrame withTrack(int newTrack) {
        return new AudioFrame(timestamp, codec, sequenceHeader, dataOffset, payload, newTrack);
    }

    @Override
    public AudioFrame withTimestamp(long newTimestamp) {
        return new AudioFrame(newTimestamp, codec, sequenceHeader, dataOffset, payload, track);
    }

    @Override
    public AudioFrame retainedDuplicate() {
        return new AudioFrame(timestamp, codec, sequenceHeader, dataOffset, payload.retainedDuplicate(), track);
    }
}
