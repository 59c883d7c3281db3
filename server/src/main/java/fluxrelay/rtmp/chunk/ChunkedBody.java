package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A message payload chunked once for many viewers (RTMP spec 5.3.1): the payload with the format 3
 * continuation header (and the extended timestamp, when the timestamp needs it) already placed
 * before every chunk after the first. Those headers depend only on chunk size, chunk stream id and
 * timestamp, so every connection that shares them can write the same bytes; only the first chunk's
 * header is per connection, and {@link ChunkEncoder} writes it in front of a retained duplicate.
 *
 * <p>The first header depends on the connection's chunk stream state, but only through its format and
 * timestamp field: connections that received the same previous message on the chunk stream (every
 * viewer keeping up with a live stream) need the same one. So the body also keeps a few complete
 * encodings, first header included, keyed by those header fields ({@link #encoding}); such
 * connections write one shared buffer and allocate nothing of their own.
 *
 * <p>Ownership: {@link #of} takes over the caller's reference to the payload (pass a retained
 * duplicate to keep one). The body holds the chunked copy and the original payload (for connections
 * whose chunk size differs) and releases both when its own count reaches zero. Give each
 * {@link PreChunkedMessage} its own reference with {@link #retain()}.
 */
public final class ChunkedBody extends AbstractReferenceCounted {

    private final ByteBuf chunked;
    private final ByteBuf payload;
    private final int chunkSize;
    private final int chunkStreamId;
    private final long timestamp;
    private final int payloadLength;
    /** Complete encodings by first-header fields; each slot holds one reference, released with the body. */
    private final AtomicReferenceArray<Encoding> encodings = new AtomicReferenceArray<>(ENCODINGS);

    /** How many first-header variants are kept; more variants fall back to a per-connection header. */
    private static final int ENCODINGS = 2;

    /** One complete encoding: the first header's varying fields and the bytes. */
    private record Encoding(int fmt, long timestampField, int typeId, int messageStreamId, ByteBuf bytes) {

        boolean matches(int fmt, long timestampField, int typeId, int messageStreamId) {
            return this.fmt == fmt && this.timestampField == timestampField && this.typeId == typeId
                    && this.messageStreamId == messageStreamId;
        }
    }

    private ChunkedBody(ByteBuf chunked, ByteBuf payload, int chunkSize, int chunkStreamId, long timestamp) {
        this.chunked = chunked;
        this.payload = payload;
        this.chunkSize = chunkSize;
        this.chunkStreamId = chunkStreamId;
        this.timestamp = timestamp;
        this.payloadLength = payload.readableBytes();
    }

    /**
     * Builds the chunked form of {@code payload} (its readable bytes) in one buffer from {@code alloc}.
     *
     * @param payload message body; ownership passes to the result (released here if arguments are invalid)
     * @param chunkSize the outbound chunk size the body is cut for (at least 1)
     * @param csid chunk stream id the message will be sent on (2..65599)
     * @param timestamp absolute message timestamp (0..2^32-1); at 0xFFFFFF or above every continuation
     *     header carries it as the extended timestamp
     */
    public static ChunkedBody of(ByteBufAllocator alloc, ByteBuf payload, int chunkSize, int csid, long timestamp) {
        try {
            if (chunkSize < 1) {
                throw new IllegalArgumentException("chunkSize must be at least 1, got " + chunkSize);
            }
            if (!ChunkHeader.isValidChunkStreamId(csid)) {
                throw new IllegalArgumentException("csid must be in 2..65599, got " + csid);
            }
            if (timestamp < 0 || timestamp > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("timestamp must be a 32-bit unsigned value, got " + timestamp);
            }
            if (payload.readableBytes() > ChunkLimits.MAX_WIRE_MESSAGE_LENGTH) {
                throw new IllegalArgumentException("payload of " + payload.readableBytes()
                        + " bytes does not fit the 24-bit message length");
            }
        } catch (IllegalArgumentException e) {
            payload.release();
            throw e;
        }
        ByteBuf chunked;
        try {
            chunked = cut(alloc, payload, chunkSize, csid, timestamp);
        } catch (RuntimeException | Error e) {
            payload.release();
            throw e;
        }
        return new ChunkedBody(chunked, payload, chunkSize, csid, timestamp);
    }

    private static ByteBuf cut(ByteBufAllocator alloc, ByteBuf payload, int chunkSize, int csid, long timestamp) {
        int length = payload.readableBytes();
        int chunks = Math.max(1, (int) ((length + (long) chunkSize - 1) / chunkSize));
        int continuationHeader = ChunkHeader.continuationHeaderLength(csid, timestamp);
        ByteBuf chunked = alloc.buffer(length + (chunks - 1) * continuationHeader);
        int from = payload.readerIndex();
        for (int i = 0; i < chunks; i++) {
            if (i > 0) {
                ChunkHeader.writeContinuationHeader(chunked, csid, timestamp);
            }
            int offset = i * chunkSize;
            chunked.writeBytes(payload, from + offset, Math.min(chunkSize, length - offset));
        }
        return chunked;
    }

    public int chunkSize() {
        return chunkSize;
    }

    public int chunkStreamId() {
        return chunkStreamId;
    }

    public long timestamp() {
        return timestamp;
    }

    /**
     * Whether a connection can write this body for a message with these parameters: same chunk size and chunk
     * stream, and continuation headers alike, which holds for any two timestamps below the extended range
     * (viewers whose timelines start at different points still share the body) and otherwise only for equal ones.
     */
    public boolean fits(int chunkSize, int csid, long timestamp) {
        return this.chunkSize == chunkSize && this.chunkStreamId == csid
                && (this.timestamp == timestamp
                        || (!ChunkHeader.needsExtended(this.timestamp) && !ChunkHeader.needsExtended(timestamp)));
    }

    /** Length of the original payload, the message length the first header declares. */
    public int payloadLength() {
        return payloadLength;
    }

    /** Length of the chunked form: payload plus continuation headers. */
    public int chunkedLength() {
        return chunked.readableBytes();
    }

    /** The chunked bytes as a retained duplicate; the caller releases it. */
    ByteBuf retainedChunked() {
        return chunked.retainedDuplicate();
    }

    /**
     * The whole message for a connection whose first header is {@code fmt} with {@code timestampField}
     * (RTMP spec 5.3.1.2), built once per header variant and shared: the buffer itself, borrowed (valid while this
     * body is, never to be modified; retain or duplicate it to keep or write it), the same object for every
     * connection with these header fields. Null when all variant slots hold other headers (the caller writes its
     * own header then).
     */
    ByteBuf encoding(ByteBufAllocator alloc, int fmt, long timestampField, int typeId, int messageStreamId) {
        for (int i = 0; i < ENCODINGS; i++) {
            Encoding slot = encodings.get(i);
            if (slot == null) {
                ByteBuf bytes = alloc.buffer(ChunkHeader.headerLength(fmt, chunkStreamId, timestampField) + chunked.readableBytes());
                ChunkHeader.writeHeader(bytes, fmt, chunkStreamId, timestampField, payloadLength, typeId, messageStreamId);
                bytes.writeBytes(chunked, chunked.readerIndex(), chunked.readableBytes());
                Encoding built = new Encoding(fmt, timestampField, typeId, messageStreamId, bytes);
                if (encodings.compareAndSet(i, null, built)) {
                    return bytes;
                }
                bytes.release();
                slot = encodings.get(i);
            }
            if (slot.matches(fmt, timestampField, typeId, messageStreamId)) {
                return slot.bytes();
            }
        }
        return null;
    }

    /** The original payload as an unretained duplicate, valid while this body is. */
    ByteBuf payloadView() {
        return payload.duplicate();
    }

    @Override
    public ChunkedBody retain() {
        super.retain();
        return this;
    }

    @Override
    public ChunkedBody retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public ChunkedBody touch() {
        return touch(null);
    }

    @Override
    public ChunkedBody touch(Object hint) {
        chunked.touch(hint);
        payload.touch(hint);
        return this;
    }

    @Override
    protected void deallocate() {
        for (int i = 0; i < ENCODINGS; i++) {
            Encoding slot = encodings.getAndSet(i, null);
            if (slot != null) {
                slot.bytes().release();
            }
        }
        chunked.release();
        payload.release();
    }
}
