package fluxrelay.hls.fmp4;

import io.netty.buffer.ByteBuf;

/**
 * The sample table boxes after {@code stsd} (14496-12 8.6.1.2 {@code stts}, 8.6.1.3 {@code ctts}, 8.6.2
 * {@code stss}, 8.7.4 {@code stsc}, 8.7.3 {@code stsz}, 8.7.5 {@code stco}/{@code co64}), run-length coded
 * where the format allows.
 */
final class SampleTableBoxes {

    private SampleTableBoxes() {
    }

    static void write(ByteBuf out, SampleTable table, long mediaStart, boolean wideOffsets) {
        int count = table.sampleCount();
        runs(out, "stts", 0, count, table::durationAt);

        boolean anyOffset = false;
        boolean negative = false;
        for (int i = 0; i < count; i++) {
            int offset = table.compositionOffsetAt(i);
            anyOffset |= offset != 0;
            negative |= offset < 0;
        }
        if (anyOffset) {
            runs(out, "ctts", negative ? 1 : 0, count, table::compositionOffsetAt); // version 1: signed offsets
        }

        if (!table.allSync()) {
            int stss = Box.beginFull(out, "stss", 0, 0);
            out.writeInt(table.syncCount());
            for (int i = 0; i < table.syncCount(); i++) {
                out.writeInt(table.syncNumber(i));
            }
            Box.end(out, stss);
        }

        int stsc = Box.beginFull(out, "stsc", 0, 0);
        int entries = out.writerIndex();
        out.writeInt(0);
        int runs = 0;
        int previous = -1;
        for (int chunk = 0; chunk < table.chunkCount(); chunk++) {
            int samples = table.chunkSamples(chunk);
            if (samples != previous) {
                out.writeInt(chunk + 1); // first_chunk
                out.writeInt(samples);
                out.writeInt(1); // sample_description_index
                runs++;
                previous = samples;
            }
        }
        out.setInt(entries, runs);
        Box.end(out, stsc);

        int stsz = Box.beginFull(out, "stsz", 0, 0);
        out.writeInt(0); // sample_size: each given
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeInt(table.sizeAt(i));
        }
        Box.end(out, stsz);

        int stco = Box.beginFull(out, wideOffsets ? "co64" : "stco", 0, 0);
        out.writeInt(table.chunkCount());
        for (int chunk = 0; chunk < table.chunkCount(); chunk++) {
            long offset = table.chunkOffset(chunk) + mediaStart;
            if (wideOffsets) {
                out.writeLong(offset);
            } else {
                out.writeInt((int) offset);
            }
        }
        Box.end(out, stco);
    }

    /** A full box of (sample count, value) runs of equal consecutive values: {@code stts} and {@code ctts}. */
    private static void runs(ByteBuf out, String type, int version, int count, java.util.function.IntUnaryOperator valueAt) {
        int box = Box.beginFull(out, type, version, 0);
        int entries = out.writerIndex();
        out.writeInt(0);
        int runs = 0;
        for (int i = 0; i < count; ) {
            int value = valueAt.applyAsInt(i);
            int j = i + 1;
            while (j < count && valueAt.applyAsInt(j) == value) {
                j++;
            }
            out.writeInt(j - i);
            out.writeInt(value);
            runs++;
            i = j;
        }
        out.setInt(entries, runs);
        Box.end(out, box);
    }
}
