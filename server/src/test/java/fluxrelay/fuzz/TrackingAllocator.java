package fluxrelay.fuzz;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap allocator that remembers every buffer it hands out, so a fuzz run can check after each input
 * that every buffer was released: a leak then fails that very input, reproducibly, instead of
 * surfacing later as a "LEAK:" line from Netty's sampling detector. Not thread-safe: one per input,
 * used from the EmbeddedChannel's thread only.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> allocated = new ArrayList<>();

    TrackingAllocator() {
        super(false);
    }

    /** A heap buffer holding {@code bytes}, tracked like any other. */
    ByteBuf copyOf(byte[] bytes, int offset, int length) {
        return heapBuffer(length, length).writeBytes(bytes, offset, length);
    }

    /** How many buffers were handed out and are still referenced. */
    long unreleased() {
        return allocated.stream().filter(b -> b.refCnt() != 0).count();
    }

    /** Fails with the count and the first unreleased buffer when any buffer is still referenced. */
    void assertAllReleased(String what) {
        long open = unreleased();
        if (open != 0) {
            ByteBuf first = allocated.stream().filter(b -> b.refCnt() != 0).findFirst().orElseThrow();
            throw new AssertionError(what + ": " + open + " of " + allocated.size()
                    + " buffers not released, first: " + first + " refCnt " + first.refCnt());
        }
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        allocated.add(buf);
        return buf;
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
