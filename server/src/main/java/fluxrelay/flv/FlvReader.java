package fluxrelay.flv;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an FLV file held in a {@link ByteBuf}: the header (FLV spec v10.1 E.2), then tag after
 * tag (E.4.1) with the PreviousTagSize between them checked (E.3). For tests, the load generator
 * and the publisher simulator.
 *
 * <p>The reader does not own the file buffer and reads it with absolute indexes; each tag's body
 * is a retained slice that the caller releases. Every size is checked against the bytes present;
 * corruption throws {@link FlvFormatException}.
 */
public final class FlvReader {

    private static final int FILTER_BIT = 0x20;

    private final ByteBuf file;
    private final int end;
    private final boolean audio;
    private final boolean video;
    private int index;
    private long expectedPreviousTagSize;

    /** Reads and checks the file header of the readable bytes of {@code file}. */
    public FlvReader(ByteBuf file) {
        this.file = file;
        this.index = file.readerIndex();
        this.end = file.writerIndex();
        need(FlvFileHeader.LENGTH, "file header");
        if (file.getUnsignedMedium(index) != FlvFileHeader.SIGNATURE) {
            throw new FlvFormatException("not an FLV file: signature " + Integer.toHexString(file.getUnsignedMedium(index)));
        }
        int version = file.getUnsignedByte(index + 3);
        if (version != 1) {
            throw new FlvFormatException("FLV version " + version);
        }
        int flags = file.getUnsignedByte(index + 4);
        this.audio = (flags & FlvFileHeader.FLAG_AUDIO) != 0;
        this.video = (flags & FlvFileHeader.FLAG_VIDEO) != 0;
        long dataOffset = file.getUnsignedInt(index + 5);
        if (dataOffset < FlvFileHeader.LENGTH || dataOffset > end - index) {
            throw new FlvFormatException("FLV DataOffset " + dataOffset + " outside the file");
        }
        index += (int) dataOffset;
        this.expectedPreviousTagSize = 0;
    }

    /** TypeFlagsAudio of the header. */
    public boolean hasAudio() {
        return audio;
    }

    /** TypeFlagsVideo of the header. */
    public boolean hasVideo() {
        return video;
    }

    /**
     * The next tag, or {@code null} at the end of the file. A file may end after a tag body
     * without the final PreviousTagSize.
     */
    public FlvTag next() {
        if (index == end) {
            return null;
        }
        need(4, "PreviousTagSize");
        long previousTagSize = file.getUnsignedInt(index);
        if (previousTagSize != expectedPreviousTagSize) {
            throw new FlvFormatException("PreviousTagSize " + previousTagSize + " at " + index + ", expected "
                    + expectedPreviousTagSize);
        }
        index += 4;
        if (index == end) {
            return null;
        }
        need(FlvTagHeader.LENGTH, "tag header");
        int typeByte = file.getUnsignedByte(index);
        if ((typeByte & FILTER_BIT) != 0) {
            throw new FlvFormatException("encrypted (filtered) tag at " + index);
        }
        int dataSize = file.getUnsignedMedium(index + 1);
        long timestamp = file.getUnsignedMedium(index + 4) | (long) file.getUnsignedByte(index + 7) << 24;
        index += FlvTagHeader.LENGTH;
        need(dataSize, "tag body");
        ByteBuf body = file.retainedSlice(index, dataSize);
        index += dataSize;
        expectedPreviousTagSize = FlvTagHeader.LENGTH + (long) dataSize;
        return new FlvTag(typeByte & 0x1F, timestamp, body);
    }

    /** Every tag of the file; the caller releases each one. On exception, none is left retained. */
    public static List<FlvTag> readAll(ByteBuf file) {
        FlvReader reader = new FlvReader(file);
        List<FlvTag> tags = new ArrayList<>();
        try {
            for (FlvTag tag = reader.next(); tag != null; tag = reader.next()) {
                tags.add(tag);
            }
            return tags;
        } catch (RuntimeException e) {
            tags.forEach(FlvTag::release);
            throw e;
        }
    }

    private void need(long length, String what) {
        if (length > end - index) {
            throw new FlvFormatException("FLV truncated in " + what + " at " + index + " (" + length + " bytes needed, "
                    + (end - index) + " left)");
        }
    }
}
