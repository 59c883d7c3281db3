package fluxrelay.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects a part's bytes in fixed-size blocks, so that a segment held for its whole time in the window
 * wastes at most one partly filled block, never the slack of a buffer grown by doubling.
 */
final class SegmentBuffer implements AutoCloseable {

    private final ByteBufAllocator allocator;
    private final int blockSize;
    private final List<ByteBuf> blocks = new ArrayList<>();
    private int size;

    SegmentBuffer(ByteBufAllocator allocator, int blockSize) {
        this.allocator = allocator;
        this.blockSize = blockSize;
    }

    /** Copies the readable bytes of {@code src} (its indexes do not move). */
    void append(ByteBuf src) {
        int index = src.readerIndex();
        int left = src.readableBytes();
        while (left > 0) {
            ByteBuf last = blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
            if (last == null || !last.isWritable()) {
                last = allocator.buffer(blockSize, blockSize);
                blocks.add(last);
            }
            int n = Math.min(left, last.writableBytes());
            last.writeBytes(src, index, n);
            index += n;
            left -= n;
        }
        size += src.readableBytes();
    }

    /** Bytes of memory the blocks take. */
    long memory() {
        return (long) blocks.size() * blockSize;
    }

    /** Bytes collected so far. */
    int size() {
        return size;
    }

    /** The bytes collected, as one buffer the caller owns; this buffer starts empty again. */
    ByteBuf finish() {
        CompositeByteBuf whole = allocator.compositeBuffer(Math.max(1, blocks.size()));
        whole.addComponents(true, blocks);
        blocks.clear();
        size = 0;
        return whole;
    }

    @Override
    public void close() {
        blocks.forEach(ByteBuf::release);
        blocks.clear();
        size = 0;
    }
}
