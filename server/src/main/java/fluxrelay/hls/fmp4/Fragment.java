package fluxrelay.hls.fmp4;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A movie fragment (14496-12 8.8.4): a {@code moof} with an {@code mfhd} and a {@code traf} per track
 * ({@code tfhd} with default-base-is-moof, a version 1 {@code tfdt}, and a version 1 {@code trun} with each
 * sample's duration, size, flags and signed composition offset), then one {@code mdat} holding the tracks'
 * data in the order given. Such a fragment is both a CMAF chunk and, alone or several together, an HLS
 * media segment or partial segment.
 */
public final class Fragment {

    /** tfhd: base data offsets count from the start of the moof (8.8.7.1). */
    private static final int TFHD_DEFAULT_BASE_IS_MOOF = 0x020000;
    /** trun: data-offset, sample-duration, sample-size, sample-flags, sample-composition-time-offsets present. */
    private static final int TRUN_FLAGS = 0x000001 | 0x000100 | 0x000200 | 0x000400 | 0x000800;

    private Fragment() {
    }

    /**
     * Writes {@code moof} and {@code mdat}.
     *
     * @param sequence mfhd sequence_number, counting up from 1 per stream
     */
    public static void write(long sequence, List<TrackRun> runs, ByteBuf out) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no track run");
        }
        int moof = Box.begin(out, "moof");
        int mfhd = Box.beginFull(out, "mfhd", 0, 0);
        out.writeInt((int) sequence);
        Box.end(out, mfhd);
        int[] offsetFields = new int[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            offsetFields[i] = writeTraf(out, runs.get(i));
        }
        Box.end(out, moof);
        int moofSize = out.writerIndex() - moof;
        long mdatSize = 8;
        for (TrackRun run : runs) {
            mdatSize += run.data().readableBytes();
        }
        if (mdatSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("fragment too large");
        }
        int dataOffset = moofSize + 8;
        for (int i = 0; i < runs.size(); i++) {
            out.setInt(offsetFields[i], dataOffset);
            dataOffset += runs.get(i).data().readableBytes();
        }
        out.writeInt((int) mdatSize);
        Box.writeType(out, "mdat");
        for (TrackRun run : runs) {
            ByteBuf data = run.data();
            out.writeBytes(data, data.readerIndex(), data.readableBytes());
        }
    }

    /** Writes a traf; returns the index of its trun data_offset, to be patched. */
    private static int writeTraf(ByteBuf out, TrackRun run) {
        int traf = Box.begin(out, "traf");
        int tfhd = Box.beginFull(out, "tfhd", 0, TFHD_DEFAULT_BASE_IS_MOOF);
        out.writeInt(run.trackId());
        Box.end(out, tfhd);
        int tfdt = Box.beginFull(out, "tfdt", 1, 0);
        out.writeLong(run.baseDecodeTime());
        Box.end(out, tfdt);
        int trun = Box.beginFull(out, "trun", 1, TRUN_FLAGS);
        out.writeInt(run.samples().size());
        int offsetField = out.writerIndex();
        out.writeInt(0);
        for (Sample sample : run.samples()) {
            out.writeInt(sample.duration());
            out.writeInt(sample.size());
            out.writeInt(sample.flags());
            out.writeInt(sample.compositionOffset());
        }
        Box.end(out, trun);
        Box.end(out, traf);
        return offsetField;
    }
}
