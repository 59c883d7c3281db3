package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One whole RTMP message as carried by the chunk stream (RTMP spec 5.3 and 6.1): the header fields
 * and the payload, without chunking.
 *
 * <p>Owns one reference to {@code payload}: the decoder hands it up and the receiver releases it;
 * the encoder releases what it is given after writing.
 *
 * @param chunkStreamId chunk stream the message travels on (2..65599)
 * @param typeId message type id (RTMP spec 5.4 and 7.1)
 * @param timestamp absolute timestamp in ms, 32-bit unsigned
 * @param messageStreamId message stream id (little-endian on the wire)
 * @param payload the message body
 */
public record RawMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, ByteBuf payload)
        implements ReferenceCounted {

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public RawMessage retain() {
        payload.retain();
        return this;
    }

    @Override
    public RawMessage retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public RawMessage touch() {
        payload.touch();
        return this;
    }

    @Override
    public RawMessage touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }
}
