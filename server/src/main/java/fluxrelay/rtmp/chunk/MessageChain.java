package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The complete message encodings a group of connections of one event loop write, in order, copied as they are added
 * into a chain of fixed-size blocks that lives as long as the group, not one flush batch. Unlike a {@link MessageRun}
 * it is never sealed: a connection's contiguous stretch of it, however many flush ticks it spans, goes out as one
 * slice (one per block it touches), so a viewer flushed once per merged-write window writes one buffer, not one per
 * tick of the window, and no tick copies pieces into a merged buffer.
 *
 * <p>Blocks: each is retained by the block before it, and the chain holds only its current block (plus, until
 * {@link #forgetRecent}, those filled since). A connection with an unwritten stretch holds the block its stretch
 * starts in ({@link Block#retain}), which keeps every later block alive; once the last such holder has written its
 * slices and let go, the block and its data are freed (the slices keep their own bytes). At most {@code maxBlocks}
 * blocks of a chain are alive at once: beyond that {@link #append} refuses and connections write their pieces one by
 * one, so a connection that is not flushed cannot make the chain grow without bound.
 *
 * <p>Which encoding is which message: encodings added since the last {@link #forgetRecent} (one delivery on the loop)
 * are retained and recognised by identity, so later connections of the delivery join the same stretch; older ones are
 * only bytes. One event loop thread uses a chain.
 */
public final class MessageChain {

    /** One block of the chain: a fixed buffer of encodings' bytes from chain position {@link #start}. */
    public final class Block extends AbstractReferenceCounted {
        private final ByteBuf data;
        private final long start;
        private Block next;

        private Block(ByteBuf data, long start) {
            this.data = data;
            this.start = start;
        }

        /** Bytes written into this block so far. */
        int filled() {
            return data.writerIndex();
        }

        @Override
        protected void deallocate() {
            data.release();
            live--;
            if (next != null) {
                next.release();
            }
        }

        @Override
        public Block retain() {
            super.retain();
            return this;
        }

        @Override
        public Block touch(Object hint) {
            data.touch(hint);
            return this;
        }
    }

    private final ByteBufAllocator alloc;
    private final int blockBytes;
    private final int maxBlocks;
    /** Blocks allocated and not yet freed. */
    private int live;
    private Block current;
    /** Blocks filled since the last {@link #forgetRecent}, each still held here (the current one is not in it). */
    private final List<Block> kept = new ArrayList<>(2);
    /** Encodings added so far; their chain positions are contiguous, from 0. */
    private long count;
    private long position;
    /** Index of the first recent encoding, and per recent encoding: the buffer, its start block and end position. */
    private long recentFrom;
    private long recentFromPosition;
    private final List<ByteBuf> recent = new ArrayList<>();
    private final List<Block> recentBlocks = new ArrayList<>();
    private long[] recentEnds = new long[16];
    private boolean closed;

    /**
     * @param blockBytes size of each block (an encoding longer than what is left of a block continues in the next)
     * @param maxBlocks most blocks alive at once, at least 2
     */
    public MessageChain(ByteBufAllocator alloc, int blockBytes, int maxBlocks) {
        if (blockBytes < 1 || maxBlocks < 2) {
            throw new IllegalArgumentException("need blockBytes >= 1 and maxBlocks >= 2, got " + blockBytes + ", " + maxBlocks);
        }
        this.alloc = alloc;
        this.blockBytes = blockBytes;
        this.maxBlocks = maxBlocks;
    }

    /** Encodings added so far. */
    public long size() {
        return count;
    }

    /** Blocks alive now (held by the chain or by connections' unwritten stretches). */
    public int liveBlocks() {
        return live;
    }

    /** Whether encodings can still be added (not {@link #close closed}). */
    public boolean isOpen() {
        return !closed;
    }

    /** Whether encoding {@code index} is {@code encoding} (the same buffer object), as far as recent ones are known. */
    boolean isAt(long index, ByteBuf encoding) {
        return index >= recentFrom && index < count && recent.get((int) (index - recentFrom)) == encoding;
    }

    /** Index of the recent encoding that is {@code encoding}, or -1. */
    long indexOf(ByteBuf encoding) {
        for (int i = recent.size() - 1; i >= 0; i--) {
            if (recent.get(i) == encoding) {
                return recentFrom + i;
            }
        }
        return -1;
    }

    /** Chain position where recent encoding {@code index} starts. */
    long startOf(long index) {
        int i = (int) (index - recentFrom);
        return i == 0 ? recentFromPosition : recentEnds[i - 1];
    }

    /** Chain position where recent encoding {@code index} ends. */
    long endOf(long index) {
        return recentEnds[(int) (index - recentFrom)];
    }

    /** The block recent encoding {@code index} starts in, retained for the caller (who releases it once written). */
    Block retainStartBlock(long index) {
        return recentBlocks.get((int) (index - recentFrom)).retain();
    }

    /**
     * Copies {@code encoding} (borrowed; retained until {@link #forgetRecent}) to the end of the chain; returns its
     * index, or -1, having added nothing, when the chain is closed or it would need more than {@code maxBlocks} alive.
     */
    long append(ByteBuf encoding) {
        int length = encoding.readableBytes();
        int room = current == null ? 0 : blockBytes - current.filled();
        long more = current != null && length <= room ? 0
                : Math.max(1, (length - room + (long) blockBytes - 1) / blockBytes);
        if (closed || live + more > maxBlocks) {
            return -1;
        }
        if (current == null || (room == 0 && length > 0)) {
            rotate();
        }
        Block first = current;
        int from = encoding.readerIndex();
        int done = 0;
        while (done < length) {
            if (current.filled() == blockBytes) {
                rotate();
            }
            int n = Math.min(length - done, blockBytes - current.filled());
            current.data.writeBytes(encoding, from + done, n);
            done += n;
        }
        position += length;
        int i = recent.size();
        if (i == recentEnds.length) {
            recentEnds = Arrays.copyOf(recentEnds, i * 2);
        }
        recentEnds[i] = position;
        recent.add(encoding.retain());
        recentBlocks.add(first);
        return count++;
    }

    /** A new current block; the one before it keeps it alive, and is kept here until the delivery is over. */
    private void rotate() {
        Block block = new Block(alloc.directBuffer(blockBytes, blockBytes),
                current == null ? position : current.start + blockBytes);
        live++;
        if (current != null) {
            current.next = block.retain();
            kept.add(current);
        }
        current = block;
    }

    /**
     * Writes the bytes from chain position {@code from} to {@code to} as retained slices, one per block, starting in
     * {@code start} (a block the caller holds); the caller keeps its hold.
     */
    void writeSlices(Block start, long from, long to, SliceSink sink) {
        Block block = blockAt(start, from);
        long at = from;
        while (at < to) {
            int offset = (int) (at - block.start);
            int n = (int) Math.min(to - at, blockBytes - offset);
            sink.accept(block.data.retainedSlice(offset, n));
            at += n;
            block = block.next;
        }
    }

    /**
     * The block holding chain position {@code position}, found from {@code from} (a block at or before it, held by the
     * caller) along the chain; the last block there is when the position is where the next encoding will start.
     */
    private Block blockAt(Block from, long position) {
        Block block = from;
        while (block.next != null && position >= block.start + blockBytes) {
            block = block.next;
        }
        return block;
    }

    /** The block the next encoding is copied into (or after), retained for the caller; null before the first one. */
    Block retainCurrentBlock() {
        return current == null ? null : current.retain();
    }

    /**
     * Moves a hold forward: the block holding {@code position}, found from {@code held} (which the caller holds and
     * gives up here), retained for the caller.
     */
    Block moveHold(Block held, long position) {
        Block block = blockAt(held, position);
        if (block != held) {
            block.retain();
            held.release();
        }
        return block;
    }

    /** Where {@link #writeSlices} puts the slices it cuts; takes each slice's reference. */
    interface SliceSink {
        void accept(ByteBuf slice);
    }

    /**
     * The delivery on the loop is over: encodings added so far are no longer recognised (their references are given
     * back) and blocks filled meanwhile are let go unless a connection still holds them.
     */
    public void forgetRecent() {
        for (ByteBuf encoding : recent) {
            encoding.release();
        }
        recent.clear();
        recentBlocks.clear();
        recentFrom = count;
        recentFromPosition = position;
        for (Block block : kept) {
            block.release();
        }
        kept.clear();
    }

    /** Takes no more encodings and lets go of the chain's blocks; stretches connections hold stay writable. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        forgetRecent();
        if (current != null) {
            current.release();
            current = null;
        }
    }
}
