package fluxrelay.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Complete message encodings ({@link ChunkedBody}'s shared ones) in the order many connections of one event loop
 * write them between two flushes, kept once for all of them. A connection whose messages are a contiguous stretch
 * of the run sends that stretch as one slice of one buffer when it flushes, instead of one outbound entry, one
 * buffer duplicate and one set of reference count updates per message: at thousands of viewers per loop those
 * per-message costs, not the bytes, are what fan-out spends its time on.
 *
 * <p>A run is <em>open</em> while encodings are added; {@link #seal() sealed} once the loop starts flushing, after
 * which the first slice copies its pieces into one buffer and every connection writes a slice of that. Until
 * sealed, a connection that must write out of turn takes its pieces one by one ({@link #retainedPiece}).
 *
 * <p>Ownership: the run holds one reference to each piece until the merged buffer is built, then one to that
 * buffer, until {@link #release()}. Slices and pieces handed out are retained for the caller. One event loop
 * thread uses a run; the loop releases it only after every connection that joined it has flushed.
 */
public final class MessageRun {

    private final ByteBufAllocator alloc;
    private final List<ByteBuf> pieces = new ArrayList<>();
    private int[] ends = new int[16];
    private int count;
    private boolean sealed;
    private boolean released;
    private ByteBuf merged;

    public MessageRun(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Encodings added so far. */
    public int size() {
        return count;
    }

    /** Bytes of all encodings added so far. */
    public int bytes() {
        return count == 0 ? 0 : ends[count - 1];
    }

    /** Whether encodings can still be added (not sealed, not released). */
    public boolean isOpen() {
        return !sealed && !released;
    }

    /** Whether the run was released. */
    public boolean isReleased() {
        return released;
    }

    /** Whether the run was sealed. */
    public boolean isSealed() {
        return sealed;
    }

    /** Whether piece {@code index} is the encoding {@code encoding} (the same buffer object). */
    boolean isAt(int index, ByteBuf encoding) {
        return index < pieces.size() && pieces.get(index) == encoding;
    }

    /** Index of the piece that is {@code encoding}, or -1. */
    int indexOf(ByteBuf encoding) {
        for (int i = pieces.size() - 1; i >= 0; i--) {
            if (pieces.get(i) == encoding) {
                return i;
            }
        }
        return -1;
    }

    /** Adds an encoding at the end (borrowed: the run takes its own reference); returns its index. */
    int append(ByteBuf encoding) {
        if (!isOpen()) {
            throw new IllegalStateException("the run no longer takes encodings");
        }
        int index = count;
        if (index == ends.length) {
            ends = Arrays.copyOf(ends, index * 2);
        }
        ends[index] = bytes() + encoding.readableBytes();
        pieces.add(encoding.retain());
        count++;
        return index;
    }

    /** Piece {@code index} as a retained buffer of its own bytes. */
    ByteBuf retainedPiece(int index) {
        checkLive();
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("piece " + index + " of a run of " + count);
        }
        if (merged != null) {
            return retainedRange(index, 1);
        }
        return pieces.get(index).retainedDuplicate();
    }

    /**
     * Pieces {@code from} to {@code from + count - 1} as one retained slice of the merged buffer; the run must be
     * sealed (the first call builds the buffer).
     */
    ByteBuf retainedRange(int from, int count) {
        checkLive();
        if (!sealed) {
            throw new IllegalStateException("an open run hands out single pieces only");
        }
        if (from < 0 || count < 1 || from + count > this.count) {
            throw new IndexOutOfBoundsException("pieces " + from + "+" + count + " of a run of " + this.count);
        }
        if (merged == null) {
            merge();
        }
        int start = from == 0 ? 0 : ends[from - 1];
        return merged.retainedSlice(start, ends[from + count - 1] - start);
    }

    private void merge() {
        ByteBuf out = alloc.directBuffer(bytes());
        for (ByteBuf piece : pieces) {
            out.writeBytes(piece, piece.readerIndex(), piece.readableBytes());
        }
        merged = out;
        releasePieces();
    }

    /** Takes no more encodings: the loop's flush batch is starting. */
    public void seal() {
        sealed = true;
    }

    /** Gives up the run's references; every connection that joined it must have flushed. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        sealed = true;
        releasePieces();
        if (merged != null) {
            merged.release();
            merged = null;
        }
    }

    private void releasePieces() {
        for (ByteBuf piece : pieces) {
            piece.release();
        }
        pieces.clear();
    }

    private void checkLive() {
        if (released) {
            throw new IllegalStateException("run already released: a connection kept a stretch past its flush");
        }
    }
}
