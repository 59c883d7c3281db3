package fluxrelay.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.List;

/**
 * A finished media segment: its playlist entry and its bytes as a list of parts (one for MPEG-TS).
 *
 * <p>Owns one reference to each part's data, released by {@link #release()} once; readers take their own
 * with {@link #retainedData}.
 */
public final class Segment {

    private final SegmentInfo info;
    private final List<Part> parts;
    private final long memory;

    /**
     * @param memory bytes of memory the parts' buffers take, slack included
     */
    Segment(SegmentInfo info, List<Part> parts, long memory) {
        this.info = info;
        this.parts = List.copyOf(parts);
        this.memory = memory;
    }

    public SegmentInfo info() {
        return info;
    }

    public List<Part> parts() {
        return parts;
    }

    /**
     * The file name of partial segment {@code index} of the segment named {@code segmentName}: the index
     * goes before the extension ({@code abc-5.m4s} has parts {@code abc-5.0.m4s}, {@code abc-5.1.m4s}, ...).
     */
    public static String partName(String segmentName, int index) {
        int dot = segmentName.lastIndexOf('.');
        return segmentName.substring(0, dot) + "." + index + segmentName.substring(dot);
    }

    /** The whole segment as a new buffer the caller owns (the parts' bytes are shared, not copied). */
    ByteBuf retainedData(ByteBufAllocator allocator) {
        if (parts.size() == 1) {
            return parts.get(0).data().retainedDuplicate();
        }
        CompositeByteBuf whole = allocator.compositeBuffer(parts.size());
        for (Part part : parts) {
            whole.addComponent(true, part.data().retainedDuplicate());
        }
        return whole;
    }

    /** Bytes of memory the parts hold (allocated blocks, not only content). */
    long memory() {
        return memory;
    }

    /** Gives up this segment's references. */
    void release() {
        parts.forEach(part -> part.data().release());
    }
}
