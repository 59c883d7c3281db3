package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.List;

/**
 * Reassembles inbound RTMP chunks into whole {@link RawMessage}s (RTMP spec 5.3), one instance per
 * connection, placed right after the handshake.
 *
 * <p>Handles the three basic header forms (chunk stream ids 2..65599), message header formats 0-3
 * with timestamp deltas, extended timestamps (also repeated on format 3 chunks of such a message,
 * as the spec, FMS, ffmpeg and librtmp do) and messages interleaved across chunk streams. Emitted
 * timestamps are absolute, modulo 2^32; each payload is one contiguous buffer.
 *
 * <p>The decoder applies the control messages that change the framing itself (5.4): Set Chunk Size,
 * Abort Message and Window Acknowledgement Size; it still passes them up so the session can log
 * them. When the bytes received since the last acknowledgement reach the peer's window, it fires
 * {@link AcknowledgementDue} as a user event.
 *
 * <p>Memory: a declared message length is checked against {@link ChunkLimits#maxMessageLength()}
 * before anything is allocated, and a message buffer starts at most 64 KiB and grows only as bytes
 * arrive, so a peer cannot reserve memory it does not send. Before allocating, the declared length is
 * also reserved against the connection's buffered-bytes budget ({@link ChunkLimits#maxBufferedBytes()},
 * or {@link ChunkLimits#maxBufferedBytesTrusted()} after {@link PeerTrusted}) and against the
 * server-wide {@link ReassemblyBudget}; the reservation is given back when the message is complete,
 * aborted or dropped. Exceeding either is a limit error like any other.
 *
 * <p>Errors: a framing error or broken limit raises {@link ChunkFormatException}, which reaches the
 * pipeline through {@code exceptionCaught}. The decoder does not close the channel (the session logs
 * with the remote address and closes); it releases its partial messages and discards all further
 * input, since the stream cannot be resynchronised.
 *
 * <p>Ownership: every emitted {@link RawMessage} carries one reference the receiver must release.
 * Partial messages are released when the channel goes inactive or the handler is removed.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {

    /** Largest buffer allocated up front for a message, whatever length it declares. */
    static final int MAX_INITIAL_ALLOCATION = 64 * 1024;

    private final ChunkLimits limits;
    private final ReassemblyBudget budget;
    /** Whether {@link PeerTrusted} has arrived. */
    private boolean trusted;
    /** Declared lengths of the messages under reassembly, reserved in {@link #budget}. */
    private long reserved;
    private final IntObjectMap<InboundChunkStream> streams = new IntObjectHashMap<>();
    private int chunkSize = ChunkLimits.INITIAL_CHUNK_SIZE;
    /** Stream whose chunk data is being read, or null while the next chunk header is awaited. */
    private InboundChunkStream current;
    private int chunkBytesLeft;
    private long bytesReceived;
    private long bytesAtLastAcknowledgement;
    private long acknowledgementWindow;
    private boolean failed;

    public ChunkDecoder(ChunkLimits limits) {
        this(limits, 0);
    }

    /**
     * @param bytesAlreadyReceived bytes the connection received before this decoder saw any (the
     *     handshake, 3073 bytes), counted in acknowledgement sequence numbers
     */
    public ChunkDecoder(ChunkLimits limits, long bytesAlreadyReceived) {
        this(limits, bytesAlreadyReceived, ReassemblyBudget.unlimited());
    }

    /**
     * @param bytesAlreadyReceived as above
     * @param budget server-wide budget for partial messages, shared by the decoders of all connections
     */
    public ChunkDecoder(ChunkLimits limits, long bytesAlreadyReceived, ReassemblyBudget budget) {
        if (limits == null || budget == null) {
            throw new IllegalArgumentException("limits and budget must not be null");
        }
        if (bytesAlreadyReceived < 0) {
            throw new IllegalArgumentException("bytesAlreadyReceived must not be negative, got " + bytesAlreadyReceived);
        }
        this.limits = limits;
        this.budget = budget;
        this.bytesReceived = bytesAlreadyReceived;
        this.bytesAtLastAcknowledgement = bytesAlreadyReceived;
    }

    /** Chunk size the peer currently sends with. */
    public int incomingChunkSize() {
        return chunkSize;
    }

    /** Total bytes received on the connection, including {@code bytesAlreadyReceived}. */
    public long bytesReceived() {
        return bytesReceived;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            bytesReceived += buf.readableBytes();
        }
        super.channelRead(ctx, msg);
        if (acknowledgementWindow > 0 && bytesReceived - bytesAtLastAcknowledgement >= acknowledgementWindow) {
            bytesAtLastAcknowledgement = bytesReceived;
            ctx.fireUserEventTriggered(new AcknowledgementDue(bytesReceived & 0xFFFFFFFFL));
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (in.isReadable()) {
                if (current == null && !readChunkHeader(ctx, in, out)) {
                    return;
                }
                if (current != null) {
                    readChunkData(in, out);
                }
            }
        } catch (ChunkFormatException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            releasePartials();
            throw e;
        }
    }

    /**
     * Reads one chunk header if it is wholly available (5.3.1); returns false, consuming nothing,
     * when more bytes are needed.
     */
    private boolean readChunkHeader(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        int first = in.getUnsignedByte(start);
        int fmt = first >>> 6;
        int csidBits = first & 0x3F;
        int basicLength = csidBits == 0 ? 2 : csidBits == 1 ? 3 : 1;
        int messageHeaderLength = ChunkHeader.messageHeaderLength(fmt);
        if (available < basicLength + messageHeaderLength) {
            return false;
        }
        int csid = switch (csidBits) {
            case 0 -> 64 + in.getUnsignedByte(start + 1);
            case 1 -> 64 + in.getUnsignedByte(start + 1) + (in.getUnsignedByte(start + 2) << 8);
            default -> csidBits;
        };
        InboundChunkStream stream = streams.get(csid);
        if (fmt != 0 && stream == null) {
            throw new ChunkFormatException("csid " + csid + " fmt " + fmt
                    + ": header refers to a previous message but the chunk stream has no type 0 header yet");
        }
        int headerStart = start + basicLength;
        long timestampField = fmt <= 2 ? in.getUnsignedMedium(headerStart) : 0;
        boolean extended = fmt <= 2 ? timestampField == ChunkHeader.EXTENDED_MARKER : stream.extendedTimestamp;
        int headerLength = basicLength + messageHeaderLength + (extended ? ChunkHeader.EXTENDED_LENGTH : 0);
        if (available < headerLength) {
            return false;
        }
        if (stream != null && stream.partial != null && fmt != 3) {
            throw new ChunkFormatException("csid " + csid + " fmt " + fmt + ": new message header while a message of "
                    + stream.messageLength + " bytes has only " + stream.partial.readableBytes() + " bytes");
        }
        if (extended) {
            timestampField = in.getUnsignedInt(start + headerLength - ChunkHeader.EXTENDED_LENGTH);
        }
        if (stream == null) {
            if (streams.size() >= limits.maxChunkStreams()) {
                throw new ChunkFormatException("csid " + csid + " fmt " + fmt + ": more than "
                        + limits.maxChunkStreams() + " chunk streams on one connection");
            }
            stream = new InboundChunkStream(csid);
            streams.put(csid, stream);
        }
        if (stream.partial == null) {
            startMessage(ctx, in, stream, fmt, headerStart, timestampField, extended);
        }
        in.readerIndex(start + headerLength);
        current = stream;
        chunkBytesLeft = Math.min(chunkSize, stream.bytesMissing());
        if (stream.messageLength == 0) {
            current = null;
            completeMessage(stream, out);
        }
        return true;
    }

    /** Applies a format 0-3 header that begins a message (5.3.1.2.1-4) and allocates its buffer. */
    private void startMessage(ChannelHandlerContext ctx, ByteBuf in, InboundChunkStream stream, int fmt,
            int headerStart, long timestampField, boolean extended) {
        if (fmt <= 1) {
            int length = in.getUnsignedMedium(headerStart + 3);
            if (length > limits.maxMessageLength()) {
                throw new ChunkFormatException("csid " + stream.chunkStreamId + " fmt " + fmt
                        + ": declared message length " + length + " exceeds the limit of "
                        + limits.maxMessageLength() + " bytes");
            }
            stream.messageLength = length;
            stream.typeId = in.getUnsignedByte(headerStart + 6);
        }
        if (fmt == 0) {
            stream.messageStreamId = in.getIntLE(headerStart + 7);
            stream.timestamp = timestampField;
            stream.timestampDelta = timestampField;
        } else {
            if (fmt <= 2 || extended) {
                stream.timestampDelta = timestampField;
            }
            stream.timestamp = (stream.timestamp + stream.timestampDelta) & 0xFFFFFFFFL;
        }
        if (fmt <= 2) {
            stream.extendedTimestamp = extended;
        }
        int length = stream.messageLength;
        reserve(stream, fmt, length);
        stream.partial = length == 0 ? Unpooled.EMPTY_BUFFER
                : ctx.alloc().buffer(Math.min(length, MAX_INITIAL_ALLOCATION), length);
    }

    /** Reserves a message's declared length in both budgets, before anything is allocated for it. */
    private void reserve(InboundChunkStream stream, int fmt, int length) {
        if (length == 0) {
            return;
        }
        long limit = trusted ? limits.maxBufferedBytesTrusted() : limits.maxBufferedBytes();
        if (length > limit - reserved) {
            budget.connectionBudgetExceeded();
            throw new ChunkFormatException("csid " + stream.chunkStreamId + " fmt " + fmt + ": a message of " + length
                    + " bytes would raise the bytes held in partial messages from " + reserved + " over this connection's budget of "
                    + limit + (trusted ? "" : " before publishing"));
        }
        if (!budget.tryReserve(length, trusted)) {
            throw new ChunkFormatException("csid " + stream.chunkStreamId + " fmt " + fmt + ": a message of " + length
                    + " bytes does not fit in the server-wide budget for partial messages"
                    + (trusted ? "" : " of connections that have not published"));
        }
        reserved += length;
        stream.reserved = length;
    }

    /** Releases a stream's partial message and gives its reservation back. */
    private void dropPartial(InboundChunkStream stream) {
        stream.releasePartial();
        unreserve(stream);
    }

    private void unreserve(InboundChunkStream stream) {
        if (stream.reserved > 0) {
            budget.release(stream.reserved, trusted);
            reserved -= stream.reserved;
            stream.reserved = 0;
        }
    }

    private void readChunkData(ByteBuf in, List<Object> out) {
        InboundChunkStream stream = current;
        int n = Math.min(chunkBytesLeft, in.readableBytes());
        stream.partial.writeBytes(in, n);
        chunkBytesLeft -= n;
        if (chunkBytesLeft == 0) {
            current = null;
            if (stream.bytesMissing() == 0) {
                completeMessage(stream, out);
            }
        }
    }

    private void completeMessage(InboundChunkStream stream, List<Object> out) {
        ByteBuf payload = stream.partial;
        stream.partial = null;
        unreserve(stream);
        RawMessage message = new RawMessage(stream.chunkStreamId, stream.typeId, stream.timestamp,
                stream.messageStreamId, payload);
        try {
            applyControl(message);
        } catch (ChunkFormatException e) {
            message.release();
            throw e;
        }
        out.add(message);
    }

    /** Acts on the protocol control messages that change the chunk stream itself (5.4.1, 5.4.2, 5.4.4). */
    private void applyControl(RawMessage message) {
        int type = message.typeId();
        if (type != MessageTypes.SET_CHUNK_SIZE && type != MessageTypes.ABORT
                && type != MessageTypes.WINDOW_ACK_SIZE) {
            return;
        }
        ByteBuf payload = message.payload();
        if (payload.readableBytes() < 4) {
            throw new ChunkFormatException("csid " + message.chunkStreamId() + ": control message type " + type
                    + " has " + payload.readableBytes() + " bytes, needs 4");
        }
        long value = payload.getUnsignedInt(payload.readerIndex());
        switch (type) {
            case MessageTypes.SET_CHUNK_SIZE -> {
                long size = value & 0x7FFFFFFFL;
                if (size == 0 || size > limits.maxIncomingChunkSize()) {
                    throw new ChunkFormatException("csid " + message.chunkStreamId() + ": Set Chunk Size " + size
                            + " outside 1.." + limits.maxIncomingChunkSize());
                }
                chunkSize = (int) size;
            }
            case MessageTypes.ABORT -> {
                InboundChunkStream aborted = value <= ChunkHeader.MAX_CHUNK_STREAM_ID ? streams.get((int) value) : null;
                if (aborted != null) {
                    dropPartial(aborted);
                }
            }
            default -> acknowledgementWindow = value;
        }
    }

    /** Consumes {@link PeerTrusted}: raises this connection's budget and moves its reservations to the trusted share. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof PeerTrusted) {
            if (!trusted) {
                trusted = true;
                budget.trust(reserved);
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        try {
            super.channelInactive(ctx);
        } finally {
            releasePartials();
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releasePartials();
    }

    private void releasePartials() {
        current = null;
        for (InboundChunkStream stream : streams.values()) {
            dropPartial(stream);
        }
    }
}
