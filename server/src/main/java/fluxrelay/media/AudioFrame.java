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
 */
public record AudioFrame(long timestamp, AudioCodec codec, boolean sequenceHeader, int dataOffset, ByteBuf payload)
        implements MediaFrame {

    @Override
    public AudioFrame withTimestamp(long newTimestamp) {
        return new AudioFrame(newTimestamp, codec, sequenceHeader, dataOffset, payload);
    }

    @Override
    public AudioFrame retainedDuplicate() {
        return new AudioFrame(timestamp, codec, sequenceHeader, dataOffset, payload.retainedDuplicate());
    }
}
