package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.EncoderException;
import io.netty.util.ReferenceCounted;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * Cuts outbound {@link RawMessage}s and {@link PreChunkedMessage}s into RTMP chunks (RTMP spec 5.3),
 * one instance per connection. Other messages pass through untouched.
 *
 * <p>Per chunk stream it sends the smallest header the peer can expand (5.3.1.2): format 0 for a new
 * chunk stream, another message stream id or a timestamp going back; 1 when length or type change;
 * 2 when only the timestamp delta changes; 3 when everything repeats. Messages needing an extended
 * timestamp always get format 0 and repeat the extended timestamp on every continuation chunk. It starts at chunk size 128 and,
 * after writing a Set Chunk Size message (5.4.1), uses the new size for everything that follows.
 *
 * <p>No payload byte is copied: each message becomes one {@link CompositeByteBuf} of small header
 * slices and retained slices of the payload, written with the caller's promise in a single
 * {@code ctx.write}, so the chunks of two messages never interleave. A {@link PreChunkedMessage} is
 * written as its body's shared complete encoding when one matches this connection's first header
 * (one duplicate, nothing else allocated), else as a header plus the shared chunked bytes.
 *
 * <p>Ownership: the encoder takes the caller's reference to every {@link RawMessage} and
 * {@link PreChunkedMessage} and releases it, also when the message is rejected. An invalid message
 * (chunk stream id, timestamp, length or Set Chunk Size value out of range) fails the promise with an
 * {@link EncoderException} and changes no state.
 */
public final class ChunkEncoder extends ChannelOutboundHandlerAdapter {

    private final IntObjectMap<OutboundChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = ChunkLimits.INITIAL_CHUNK_SIZE;

    /** Chunk size this encoder currently cuts with; a {@link ChunkedBody} cut for it takes the fast path. */
    public int outgoingChunkSize() {
        return chunkSize;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof RawMessage raw) {
            write(ctx, raw, raw.chunkStreamId(), raw.typeId(), raw.timestamp(), raw.messageStreamId(), null,
                    raw.payload(), promise);
        } else if (msg instanceof PreChunkedMessage pre) {
            write(ctx, pre, pre.chunkStreamId(), pre.typeId(), pre.timestamp(), pre.messageStreamId(), pre.body(),
                    pre.body().payloadView(), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /**
     * Writes one message; {@code body} is null for a plain message. Releases {@code message} whatever happens.
     */
    private void write(ChannelHandlerContext ctx, ReferenceCounted message, int csid, int typeId,
            long timestamp, int messageStreamId, ChunkedBody body, ByteBuf payload, ChannelPromise promise) {
        ByteBuf out;
        int nextChunkSize;
        try {
            nextChunkSize = validate(csid, typeId, timestamp, payload);
            if (body != null && body.fits(chunkSize, csid, timestamp)) {
                out = firstHeaderAndBody(ctx.alloc(), csid, typeId, timestamp, messageStreamId, body);
            } else {
                out = chunk(ctx.alloc(), csid, typeId, timestamp, messageStreamId, payload);
            }
        } catch (EncoderException e) {
            message.release();
            promise.setFailure(e);
            return;
        }
        message.release();
        chunkSize = nextChunkSize;
        ctx.write(out, promise);
    }

    /** Checks the header fields fit the wire format; returns the chunk size to use after this message. */
    private int validate(int csid, int typeId, long timestamp, ByteBuf payload) {
        if (!ChunkHeader.isValidChunkStreamId(csid)) {
            throw new EncoderException("csid must be in 2..65599, got " + csid);
        }
        if (typeId < 0 || typeId > 0xFF) {
            throw new EncoderException("csid " + csid + ": type id must fit one byte, got " + typeId);
        }
        if (timestamp < 0 || timestamp > 0xFFFFFFFFL) {
            throw new EncoderException("csid " + csid + ": timestamp must be 32-bit unsigned, got " + timestamp);
        }
        int length = payload.readableBytes();
        if (length > ChunkLimits.MAX_WIRE_MESSAGE_LENGTH) {
            throw new EncoderException("csid " + csid + ": message of " + length
                    + " bytes does not fit the 24-bit length field");
        }
        if (typeId != MessageTypes.SET_CHUNK_SIZE) {
            return chunkSize;
        }
        int size = length < 4 ? 0 : payload.getInt(payload.readerIndex());
        if (size < 1) {
            throw new EncoderException("csid " + csid + ": Set Chunk Size needs a 4-byte value in 1..2^31-1, got "
                    + (length < 4 ? length + " bytes" : Integer.toUnsignedString(size)));
        }
        return size;
    }

    /**
     * Fast path: the body's shared complete encoding for this connection's first header when it has one,
     * else a per-connection first header in front of the shared chunked body.
     */
    private ByteBuf firstHeaderAndBody(ByteBufAllocator alloc, int csid, int typeId, long timestamp,
            int messageStreamId, ChunkedBody body) {
        OutboundChunkStream stream = stream(csid);
        int fmt = stream.formatFor(timestamp, messageStreamId, body.payloadLength(), typeId);
        long timestampField = stream.timestampField(fmt, timestamp);
        ByteBuf shared = body.retainedEncoding(alloc, fmt, timestampField, typeId, messageStreamId);
        if (shared != null) {
            stream.update(fmt, timestamp, messageStreamId, body.payloadLength(), typeId);
            return shared;
        }
        ByteBuf header = firstHeader(alloc, csid, typeId, timestamp, messageStreamId, body.payloadLength(), 0);
        if (body.payloadLength() == 0) {
            return header;
        }
        return alloc.compositeBuffer(2).addComponent(true, header).addComponent(true, body.retainedChunked());
    }

    /** Cuts {@code payload} (borrowed, not released) into chunks of the current size. */
    private ByteBuf chunk(ByteBufAllocator alloc, int csid, int typeId, long timestamp, int messageStreamId,
            ByteBuf payload) {
        int length = payload.readableBytes();
        int chunks = Math.max(1, (int) ((length + (long) chunkSize - 1) / chunkSize));
        ByteBuf headers = firstHeader(alloc, csid, typeId, timestamp, messageStreamId, length, chunks - 1);
        if (length == 0) {
            return headers;
        }
        CompositeByteBuf out = alloc.compositeBuffer(chunks * 2);
        try {
            int headerStart = 0;
            int from = payload.readerIndex();
            for (int i = 0; i < chunks; i++) {
                if (i > 0) {
                    ChunkHeader.writeContinuationHeader(headers, csid, timestamp);
                }
                out.addComponent(true, headers.retainedSlice(headerStart, headers.writerIndex() - headerStart));
                headerStart = headers.writerIndex();
                int offset = i * chunkSize;
                out.addComponent(true, payload.retainedSlice(from + offset, Math.min(chunkSize, length - offset)));
            }
        } finally {
            headers.release();
        }
        return out;
    }

    private OutboundChunkStream stream(int csid) {
        OutboundChunkStream stream = streams.get(csid);
        if (stream == null) {
            stream = new OutboundChunkStream();
            streams.put(csid, stream);
        }
        return stream;
    }

    /**
     * Picks the header format, updates the chunk stream's state and writes the first header into a
     * buffer with room for {@code continuations} continuation headers after it.
     */
    private ByteBuf firstHeader(ByteBufAllocator alloc, int csid, int typeId, long timestamp, int messageStreamId,
            int length, int continuations) {
        OutboundChunkStream stream = stream(csid);
        int fmt = stream.formatFor(timestamp, messageStreamId, length, typeId);
        long timestampField = stream.timestampField(fmt, timestamp);
        stream.update(fmt, timestamp, messageStreamId, length, typeId);
        ByteBuf header = alloc.buffer(ChunkHeader.headerLength(fmt, csid, timestampField)
                + continuations * ChunkHeader.continuationHeaderLength(csid, timestamp));
        ChunkHeader.writeHeader(header, fmt, csid, timestampField, length, typeId, messageStreamId);
        return header;
    }
}
