package fluxrelay.loadtest.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Follows an FLV byte stream (FLV spec v10.1 E.2 header, E.3 PreviousTagSize, E.4.1 tag header) as it
 * arrives in pieces of any size, without copying it: only each tag's header and the first
 * {@value #PREFIX} bytes of its body are kept (enough to see a keyframe flag and a latency stamp), in a
 * buffer reused for every tag. One instance per connection, single-threaded.
 */
public final class FlvSkimmer {

    /** Receives each complete tag. */
    public interface Listener {
        /**
         * A tag ended.
         *
         * @param type TagType (8 audio, 9 video, 18 script)
         * @param size DataSize, the body length
         * @param prefix the first {@code min(size, PREFIX)} body bytes (readable from index 0), valid only during
         *     the call
         */
        void tag(int type, int size, ByteBuf prefix);
    }

    /** Body bytes kept per tag. */
    public static final int PREFIX = 96;

    private static final int FILE_HEADER = 9;
    private static final int PREVIOUS_TAG_SIZE = 4;
    private static final int TAG_HEADER = 11;

    private enum Part { FILE_HEADER, PREVIOUS_TAG_SIZE, TAG_HEADER, BODY }

    private final Listener listener;
    private final ByteBuf header = Unpooled.buffer(TAG_HEADER, TAG_HEADER);
    private final ByteBuf prefix = Unpooled.buffer(PREFIX, PREFIX);
    private Part part = Part.FILE_HEADER;
    private int needed = FILE_HEADER;
    private int tagType;
    private int tagSize;
    private long bytes;

    public FlvSkimmer(Listener listener) {
        this.listener = listener;
    }

    /** Reads all readable bytes of {@code in} (borrowed; its reader index moves to the end). */
    public void feed(ByteBuf in) {
        while (in.isReadable()) {
            int n = Math.min(needed, in.readableBytes());
            bytes += n;
            switch (part) {
                case FILE_HEADER -> {
                    header.writeBytes(in, n);
                    if (header.readableBytes() >= 3 && header.getUnsignedMedium(0) != 0x464C56) {
                        throw new IllegalStateException("not an FLV stream");
                    }
                }
                case PREVIOUS_TAG_SIZE -> in.skipBytes(n);
                case TAG_HEADER -> header.writeBytes(in, n);
                case BODY -> {
                    int keep = Math.min(n, prefix.writableBytes());
                    if (keep > 0) {
                        prefix.writeBytes(in, keep);
                    }
                    in.skipBytes(n - keep);
                }
            }
            needed -= n;
            if (needed == 0) {
                next();
            }
        }
    }

    private void next() {
        switch (part) {
            case FILE_HEADER -> {
                header.clear();
                part = Part.PREVIOUS_TAG_SIZE;
                needed = PREVIOUS_TAG_SIZE;
            }
            case PREVIOUS_TAG_SIZE -> {
                part = Part.TAG_HEADER;
                needed = TAG_HEADER;
            }
            case TAG_HEADER -> {
                tagType = header.getUnsignedByte(0) & 0x1F;
                tagSize = header.getUnsignedMedium(1);
                header.clear();
                prefix.clear();
                part = Part.BODY;
                needed = tagSize;
                if (needed == 0) {
                    next();
                }
            }
            case BODY -> {
                listener.tag(tagType, tagSize, prefix);
                part = Part.PREVIOUS_TAG_SIZE;
                needed = PREVIOUS_TAG_SIZE;
            }
        }
    }

    /** Bytes consumed so far. */
    public long bytes() {
        return bytes;
    }
}
