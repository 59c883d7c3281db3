package fluxrelay.rtmp.chunk;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/** Heap allocator that remembers every buffer it hands out, to check sizes and releases. */
final class RecordingAllocator extends AbstractByteBufAllocator {

    final List<ByteBuf> allocated = new ArrayList<>();
    private int largestRequest;

    RecordingAllocator() {
        super(false);
    }

    /** Largest initial capacity requested so far. */
    int largestRequest() {
        return largestRequest;
    }

    /** Whether every buffer handed out has been released. */
    boolean allReleased() {
        return allocated.stream().allMatch(b -> b.refCnt() == 0);
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        largestRequest = Math.max(largestRequest, initialCapacity);
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
