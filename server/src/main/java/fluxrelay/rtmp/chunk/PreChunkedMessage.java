package fluxrelay.rtmp.chunk;

import io.netty.util.ReferenceCounted;

/**
 * A message whose body was chunked once for many connections ({@link ChunkedBody}), written by
 * {@link ChunkEncoder} with only its first chunk header built per connection (RTMP spec 5.3.1).
 * The encoder falls back to ordinary chunking of the original payload when the body was cut for
 * another chunk size, chunk stream id or timestamp, so the bytes on the wire are the same either way.
 *
 * <p>Owns one reference to {@code body}: whoever builds the message for a connection passes a
 * {@code body.retain()}; the encoder releases it after writing.
 *
 * @param chunkStreamId chunk stream the message travels on (2..65599)
 * @param typeId message type id (RTMP spec 5.4 and 7.1)
 * @param timestamp absolute timestamp in ms, 32-bit unsigned
 * @param messageStreamId message stream id (little-endian on the wire)
 * @param body the pre-chunked payload
 */
public record PreChunkedMessage(int chunkStreamId, int typeId, long timestamp, int messageStreamId, ChunkedBody body)
        implements ReferenceCounted {

    public PreChunkedMessage {
        if (body == null) {
            throw new IllegalArgumentException("body must not be null");
        }
    }

    @Override
    public int refCnt() {
        return body.refCnt();
    }

    @Override
    public PreChunkedMessage retain() {
        body.retain();
        return this;
    }

    @Override
    public PreChunkedMessage retain(int increment) {
        body.retain(increment);
        return this;
    }

    @Override
    public PreChunkedMessage touch() {
        body.touch();
        return this;
    }

    @Override
    public PreChunkedMessage touch(Object hint) {
        body.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return body.release();
    }

    @Override
    public boolean release(int decrement) {
        return body.release(decrement);
    }
}
