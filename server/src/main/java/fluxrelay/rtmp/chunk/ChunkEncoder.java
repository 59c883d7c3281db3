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
 * <p>Fan-out writes a loop's shared encodings with {@link #writeShared}: an encoding that is part of the loop's
 * {@link MessageRun} is not queued at once but remembered as a stretch of that run, which goes out as one slice
 * when the connection flushes or before anything else is written to it, so the order on the wire is always the
 * order of the calls. With a {@link MessageChain} (the group's encodings in blocks that outlive flush batches) the
 * stretch is likewise remembered and goes out as one slice per block it touches, whichever flush ticks it spans.
 *
 * <p>A connection in step with the others of its chain can {@link #follow} the chain's {@link Lockstep}: what it takes
 * is this connection's too, written as one stretch when the connection flushes, or before anything else is written.
 *
 * <p>Ownership: the encoder takes the caller's reference to every {@link RawMessage} and
 * {@link PreChunkedMessage} and releases it, also when the message is rejected. An invalid message
 * (chunk stream id, timestamp, length or Set Chunk Size value out of range) fails the promise with an
 * {@link EncoderException} and changes no state.
 */
public final class ChunkEncoder extends ChannelOutboundHandlerAdapter {

    /** Chunk stream ids below this have their state in {@link #lowStreams}: the ids the server sends on, found per frame. */
    private static final int LOW_IDS = 16;

    /** State of chunk streams below {@link #LOW_IDS}, by id: one array read per message instead of a map lookup. */
    private final OutboundChunkStream[] lowStreams = new OutboundChunkStream[LOW_IDS];
    private final IntObjectMap<OutboundChunkStream> streams = new IntObjectHashMap<>();
    /** The channel's allocator, kept from {@link #handlerAdded} (the server never changes it after the pipeline is set). */
    private ByteBufAllocator alloc;
    private int chunkSize = ChunkLimits.INITIAL_CHUNK_SIZE;
    private ChannelHandlerContext context;
    /** The run this connection's unwritten stretch belongs to, or null; the stretch is pieces runFrom..+runCount-1. */
    private MessageRun run;
    private int runFrom;
    private int runCount;
    /** The chain this connection's unwritten stretch belongs to, or null: encodings chainFrom..chainNext-1. */
    private MessageChain chain;
    /** The block the chain stretch starts in, held until the stretch is written. */
    private MessageChain.Block chainHold;
    private long chainStart;
    private long chainEnd;
    private long chainNext;
    /** The chain this connection's last write ended a stretch of, with that stretch's end index and position; else null. */
    private MessageChain lastChain;
    private long lastChainNext;
    private long lastChainEnd;
    /** The lockstep this connection follows ({@link #follow}), or null; what it took from stepFrom is not yet written. */
    private Lockstep step;
    private Lockstep.Follower stepFollower;
    private MessageChain.Block stepHold;
    private long stepFrom;
    private long stepMessages;
    private long stepBytes;
    /** The lockstep's chunk streams whose state it keeps for this connection (bit i for its i-th), and the offset. */
    private int stepShared;
    private long stepOffset;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        alloc = ctx.alloc();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        run = null;
        dropChainStretch();
        dropStep();
    }

    /** Chunk size this encoder currently cuts with; a {@link ChunkedBody} cut for it takes the fast path. */
    public int outgoingChunkSize() {
        return chunkSize;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (step != null) {
            catchUp(false);
        }
        writeStretch();
        lastChain = null;
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

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (step != null) {
            catchUp(true);
        }
        writeStretch();
        ctx.flush();
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        // Nothing of a run is owned here; an unflushed stretch is simply not sent to a closing connection.
        run = null;
        dropChainStretch();
        dropStep();
        ctx.close(promise);
    }

    /**
     * Follows {@code step} from here on (see {@link Lockstep}): what it takes is this connection's too, written when the
     * connection flushes (which keeps it following) or before anything else is written to it (which ends the
     * following), and {@code follower} hears of both. Call right after a flush, on the channel's loop. False, nothing
     * changed, when the connection is not in step: its last write was not the end of a stretch of the step's chain at
     * the step's place, or it writes with another chunk size or message stream.
     *
     * @param shift how far behind the room's timeline this connection's is (it is sent the room's timestamps less this)
     */
    public boolean follow(Lockstep step, int messageStreamId, long shift, Lockstep.Follower follower) {
        if (!inStepWith(step.chain())) {
            return false;
        }
        int shared = step.admit(lastChainNext, lastChainEnd, this::stream, chunkSize, messageStreamId, shift);
        if (shared < 0) {
            return false;
        }
        this.step = step;
        stepFollower = follower;
        stepHold = step.retainHold();
        stepFrom = step.endPosition();
        stepMessages = step.messages();
        stepBytes = step.bytes();
        stepShared = shared;
        stepOffset = step.offsetOf(shift);
        return true;
    }

    /** Whether the last write to this connection ended a stretch of {@code chain} and it follows nothing yet. */
    public boolean inStepWith(MessageChain chain) {
        return context != null && step == null && this.chain == null && run == null && lastChain == chain;
    }

    /** Stops following its lockstep, if it does, writing what was taken for it (not flushed). */
    public void leaveStep() {
        if (step != null) {
            catchUp(false);
        }
    }

    /**
     * Writes what the lockstep took since this connection last caught up, as one slice per chain block, and takes the
     * lockstep's chunk stream states as its own; keeps following when {@code stay} and the lockstep goes on.
     */
    private void catchUp(boolean stay) {
        Lockstep followed = step;
        MessageChain.Block held = stepHold;
        long to = followed.endPosition();
        if (to > stepFrom) {
            followed.chain().writeSlices(held, stepFrom, to, slice -> context.write(slice, context.voidPromise()));
        }
        for (int i = 0; i < followed.chunkStreams(); i++) {
            if ((stepShared & (1 << i)) != 0) {
                stream(followed.chunkStreamId(i)).copyFrom(followed.state(i), stepOffset);
            }
        }
        long messages = followed.messages() - stepMessages;
        long bytes = followed.bytes() - stepBytes;
        lastChain = followed.chain();
        lastChainNext = followed.next();
        lastChainEnd = to;
        Lockstep.Follower follower = stepFollower;
        boolean staying = stay && !followed.ended();
        if (staying) {
            stepHold = followed.chain().moveHold(held, to);
            stepFrom = to;
            stepMessages = followed.messages();
            stepBytes = followed.bytes();
        } else {
            forgetStep(held, followed);
        }
        if (messages > 0) {
            follower.caughtUp(messages, bytes);
        }
        if (!staying) {
            follower.left();
        }
    }

    /** Stops following without writing what was taken (the connection is going). */
    private void dropStep() {
        if (step != null) {
            Lockstep.Follower follower = stepFollower;
            forgetStep(stepHold, step);
            follower.left();
        }
    }

    private void forgetStep(MessageChain.Block held, Lockstep followed) {
        step = null;
        stepFollower = null;
        stepHold = null;
        held.release();
        followed.release();
    }

    /**
     * Writes one message of a body chunked once for many connections, as a {@link PreChunkedMessage} would be but
     * without a message object or a trip through the handlers after this one; call on the channel's event loop,
     * with the connection's other writes. When the message's complete encoding is shared and {@code run} (the
     * loop's open run, or null) can take it in this connection's order, it joins the run and goes out with the
     * connection's stretch of it at the next flush (or before the next other write); otherwise it is queued at
     * once. Returns false, having written nothing, when the body was cut for another chunk size, chunk stream or
     * timestamp range, or the type is not one a shared body carries: write the message the ordinary way then.
     *
     * @param body borrowed; its reference stays with the caller
     */
    public boolean writeShared(int csid, int typeId, long timestamp, int messageStreamId, ChunkedBody body, MessageRun run) {
        return writeShared(csid, typeId, timestamp, messageStreamId, body, run, null);
    }

    /**
     * As {@link #writeShared(int, int, long, int, ChunkedBody, MessageRun)}, with the group's {@link MessageChain}
     * instead of a run: a message that continues this connection's stretch of {@code chain} (or starts one) is not
     * queued at once; the stretch goes out as one slice per block when the connection flushes or before any other
     * write. A message the chain cannot take (out of turn, or the chain at its block limit) is queued at once.
     *
     * @param body borrowed; its reference stays with the caller
     * @param chain the group's chain on this loop, or null
     */
    public boolean writeShared(int csid, int typeId, long timestamp, int messageStreamId, ChunkedBody body,
            MessageChain chain) {
        return writeShared(csid, typeId, timestamp, messageStreamId, body, null, chain);
    }

    /** Both of the above: the shared encoding joins {@code chain} when given, else {@code run}, else is queued at once. */
    private boolean writeShared(int csid, int typeId, long timestamp, int messageStreamId, ChunkedBody body, MessageRun run,
                                MessageChain chain) {
        if (step != null) {
            catchUp(false);
        }
        if (context == null || typeId < 0 || typeId > 0xFF || typeId == MessageTypes.SET_CHUNK_SIZE
                || timestamp < 0 || timestamp > 0xFFFFFFFFL || !body.fits(chunkSize, csid, timestamp)) {
            return false;
        }
        ByteBuf shared = sharedEncoding(alloc, csid, typeId, timestamp, messageStreamId, body);
        if (shared != null && (chain != null ? chained(chain, shared) : run != null && joined(run, shared))) {
            return true;
        }
        writeStretch();
        lastChain = null;
        ByteBuf out = shared != null ? shared.retainedDuplicate()
                : headerAndChunked(alloc, csid, typeId, timestamp, messageStreamId, body);
        context.write(out, context.voidPromise());
        return true;
    }

    /** Adds {@code encoding} to this connection's stretch of {@code chain} when it continues it; false otherwise. */
    private boolean chained(MessageChain chain, ByteBuf encoding) {
        if (!chain.isOpen()) {
            return false;
        }
        if (this.chain == chain) {
            long next = chainNext;
            if (chain.isAt(next, encoding)) {
                chainNext++;
                chainEnd = chain.endOf(next);
                return true;
            }
            if (next == chain.size() && chain.indexOf(encoding) < 0) {
                if (chain.append(encoding) < 0) {
                    return false;
                }
                chainNext++;
                chainEnd = chain.endOf(next);
                return true;
            }
            return false;
        }
        long at = chain.indexOf(encoding);
        if (at < 0) {
            at = chain.append(encoding);
            if (at < 0) {
                return false;
            }
        }
        // Written only now: the stretch before is queued ahead of this one when this one is written.
        writeStretch();
        this.chain = chain;
        chainHold = chain.retainStartBlock(at);
        chainStart = chain.startOf(at);
        chainEnd = chain.endOf(at);
        chainNext = at + 1;
        return true;
    }

    private void dropChainStretch() {
        chain = null;
        if (chainHold != null) {
            chainHold.release();
            chainHold = null;
        }
    }

    /** Adds {@code encoding} to this connection's stretch of {@code run} when it continues it; false otherwise. */
    private boolean joined(MessageRun run, ByteBuf encoding) {
        if (!run.isOpen()) {
            return false;
        }
        if (this.run == run) {
            int next = runFrom + runCount;
            if (run.isAt(next, encoding) || (next == run.size() && run.indexOf(encoding) < 0)) {
                if (next == run.size()) {
                    run.append(encoding);
                }
                runCount++;
                return true;
            }
            return false;
        }
        writeStretch();
        int at = run.indexOf(encoding);
        this.run = run;
        runFrom = at >= 0 ? at : run.append(encoding);
        runCount = 1;
        return true;
    }

    /** Queues this connection's stretch of a run, if it has one: as one slice once the run is sealed. */
    private void writeStretch() {
        if (chain != null) {
            MessageChain.Block hold = chainHold;
            chain.writeSlices(hold, chainStart, chainEnd, slice -> context.write(slice, context.voidPromise()));
            lastChain = chain;
            lastChainNext = chainNext;
            lastChainEnd = chainEnd;
            chain = null;
            chainHold = null;
            hold.release();
        }
        MessageRun stretch = run;
        if (stretch == null) {
            return;
        }
        run = null;
        lastChain = null;
        if (stretch.isReleased()) {
            // The connection was not flushed with its batch: it was no longer active, so there is no one to send to.
            return;
        }
        if (stretch.isSealed()) {
            context.write(stretch.retainedRange(runFrom, runCount), context.voidPromise());
            return;
        }
        for (int i = runFrom; i < runFrom + runCount; i++) {
            context.write(stretch.retainedPiece(i), context.voidPromise());
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
        ByteBuf shared = sharedEncoding(alloc, csid, typeId, timestamp, messageStreamId, body);
        return shared != null ? shared.retainedDuplicate() : headerAndChunked(alloc, csid, typeId, timestamp, messageStreamId, body);
    }

    /**
     * The body's complete encoding for this connection's first header (borrowed), recording the header in the chunk
     * stream's state; null, with the state untouched, when the body keeps no such encoding.
     */
    private ByteBuf sharedEncoding(ByteBufAllocator alloc, int csid, int typeId, long timestamp, int messageStreamId,
            ChunkedBody body) {
        OutboundChunkStream stream = stream(csid);
        int fmt = stream.formatFor(timestamp, messageStreamId, body.payloadLength(), typeId);
        long timestampField = stream.timestampField(fmt, timestamp);
        ByteBuf shared = body.encoding(alloc, fmt, timestampField, typeId, messageStreamId);
        if (shared != null) {
            stream.update(fmt, timestamp, messageStreamId, body.payloadLength(), typeId);
        }
        return shared;
    }

    /** A first header of this connection's own in front of the body's shared chunked bytes. */
    private ByteBuf headerAndChunked(ByteBufAllocator alloc, int csid, int typeId, long timestamp, int messageStreamId,
            ChunkedBody body) {
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
        if (csid < LOW_IDS) {
            OutboundChunkStream stream = lowStreams[csid];
            if (stream == null) {
                stream = new OutboundChunkStream();
                lowStreams[csid] = stream;
            }
            return stream;
        }
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
