package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;

/**
 * What the decoder remembers about one inbound chunk stream (RTMP spec 5.3.1.2): the last message
 * header, so that format 1-3 headers can omit fields, and the message being reassembled.
 */
final class InboundChunkStream {

    final int chunkStreamId;
    /** Absolute timestamp of the last message started on this stream. */
    long timestamp;
    /** Delta reused by a format 3 header that starts a new message (the timestamp itself after fmt 0). */
    long timestampDelta;
    int messageLength;
    int typeId;
    int messageStreamId;
    /** Whether the last format 0-2 header carried 0xFFFFFF, so every format 3 header has 4 more bytes. */
    boolean extendedTimestamp;
    /** Message being reassembled, or null between messages. Owned by the decoder. */
    ByteBuf partial;
    /** Bytes reserved for {@link #partial} in the decoder's budgets, 0 when none. */
    long reserved;

    InboundChunkStream(int chunkStreamId) {
        this.chunkStreamId = chunkStreamId;
    }

    int bytesMissing() {
        return messageLength - partial.readableBytes();
    }

    void releasePartial() {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
