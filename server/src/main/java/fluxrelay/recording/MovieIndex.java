package fluxrelay.recording;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples of a finalized (progressive) MP4, read back from its {@code moov}: per track the sample description
 * and, per sample, its decode time, duration, size, file offset, composition offset and whether it is a sync sample
 * (ISO/IEC 14496-12 8.6 and 8.7). What a replay cuts into HLS segments. Decode times are on one timeline for all
 * tracks: a track's edit list (an empty edit for a late start, the first picture's composition offset) is applied,
 * so fragments cut from different tracks stay in sync.
 */
final class MovieIndex {

    /** Largest moov read. */
    private static final int MAX_MOOV = 256 << 20;

    /** One track's samples. */
    record Track(int id, int timescale, boolean video, int width, int height, byte[] stsd, long[] decodeTimes, int[] durations,
                 int[] sizes, long[] offsets, int[] compositionOffsets, boolean[] sync) {

        int count() {
            return sizes.length;
        }

        double seconds(long time) {
            return time / (double) timescale;
        }
    }

    private final List<Track> tracks;

    private MovieIndex(List<Track> tracks) {
        this.tracks = List.copyOf(tracks);
    }

    List<Track> tracks() {
        return tracks;
    }

    /** The video track, or the first track of an audio-only recording. */
    Track lead() {
        return tracks.stream().filter(Track::video).findFirst().orElse(tracks.get(0));
    }

    /** Reads the index of a finalized recording. */
    static MovieIndex read(Path file) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = 0;
            long size = in.size();
            while (at + 8 <= size) {
                ByteBuffer header = Finalizer.read(in, at, 8);
                long boxSize = header.getInt(0) & 0xFFFFFFFFL;
                String type = new String(header.array(), 4, 4, StandardCharsets.ISO_8859_1);
                if (type.equals("moov")) {
                    if (boxSize > MAX_MOOV || at + boxSize > size) {
                        throw new IOException("moov too large or cut short");
                    }
                    return parse(Unpooled.wrappedBuffer(Finalizer.read(in, at + 8, (int) boxSize - 8)));
                }
                if (boxSize == 1) {
                    boxSize = Finalizer.read(in, at + 8, 8).getLong(0);
                }
                if (boxSize < 8) {
                    break;
                }
                at += boxSize;
            }
            throw new IOException("no moov in " + file.getFileName());
        }
    }

    private static MovieIndex parse(ByteBuf moov) throws IOException {
        List<Track> tracks = new ArrayList<>();
        List<Double> starts = new ArrayList<>();
        try {
            ByteBuf mvhd = Finalizer.child(moov, "mvhd");
            int movieTimescale = mvhd.getInt(mvhd.readerIndex() + 4 + (mvhd.getUnsignedByte(mvhd.readerIndex()) == 1 ? 16 : 8));
            for (ByteBuf trak : Finalizer.children(moov, "trak")) {
                ByteBuf tkhd = Finalizer.child(trak, "tkhd");
                int version = tkhd.getUnsignedByte(tkhd.readerIndex());
                int id = tkhd.getInt(tkhd.readerIndex() + 4 + (version == 1 ? 16 : 8));
                int width = tkhd.getInt(tkhd.writerIndex() - 8) >>> 16;
                int height = tkhd.getInt(tkhd.writerIndex() - 4) >>> 16;
                ByteBuf mdia = Finalizer.child(trak, "mdia");
                ByteBuf mdhd = Finalizer.child(mdia, "mdhd");
                int timescale = mdhd.getInt(mdhd.readerIndex() + 4 + (mdhd.getUnsignedByte(mdhd.readerIndex()) == 1 ? 16 : 8));
                ByteBuf hdlr = Finalizer.child(mdia, "hdlr");
                boolean video = hdlr.toString(hdlr.readerIndex() + 8, 4, StandardCharsets.ISO_8859_1).equals("vide");
                ByteBuf stbl = Finalizer.child(Finalizer.child(mdia, "minf"), "stbl");
                tracks.add(track(id, timescale, video, width, height, stbl));
                starts.add(decodeStart(trak, movieTimescale, timescale));
            }
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("malformed moov: " + e.getMessage(), e);
        }
        if (tracks.isEmpty()) {
            throw new IOException("a movie without tracks");
        }
        double earliest = starts.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        for (int t = 0; t < tracks.size(); t++) {
            Track track = tracks.get(t);
            long shift = Math.round((starts.get(t) - earliest) * track.timescale());
            for (int i = 0; i < track.count(); i++) {
                track.decodeTimes()[i] += shift;
            }
        }
        return new MovieIndex(tracks);
    }

    /**
     * When the track's first sample decodes on the movie's timeline, seconds, up to a constant shared by all tracks:
     * its empty edit (a late start) less the media time its first non-empty edit presents from (8.6.6).
     */
    private static double decodeStart(ByteBuf trak, int movieTimescale, int timescale) {
        List<ByteBuf> edts = Finalizer.children(trak, "edts");
        if (edts.isEmpty() || movieTimescale <= 0 || timescale <= 0) {
            return 0;
        }
        List<ByteBuf> elsts = Finalizer.children(edts.get(0), "elst");
        if (elsts.isEmpty()) {
            return 0;
        }
        ByteBuf elst = elsts.get(0);
        boolean wide = elst.getUnsignedByte(elst.readerIndex()) == 1;
        int entries = elst.getInt(elst.readerIndex() + 4);
        int at = elst.readerIndex() + 8;
        long empty = 0;
        for (int e = 0; e < entries; e++) {
            long segmentDuration = wide ? elst.getLong(at) : elst.getUnsignedInt(at);
            long mediaTime = wide ? elst.getLong(at + 8) : elst.getInt(at + 4);
            at += wide ? 20 : 12;
            if (mediaTime == -1) {
                empty += segmentDuration;
            } else {
                return empty / (double) movieTimescale - mediaTime / (double) timescale;
            }
        }
        return empty / (double) movieTimescale;
    }

    private static Track track(int id, int timescale, boolean video, int width, int height, ByteBuf stbl) {
        ByteBuf stsz = Finalizer.child(stbl, "stsz");
        int fixed = stsz.getInt(stsz.readerIndex() + 4);
        int count = stsz.getInt(stsz.readerIndex() + 8);
        int[] sizes = new int[count];
        for (int i = 0; i < count; i++) {
            sizes[i] = fixed != 0 ? fixed : stsz.getInt(stsz.readerIndex() + 12 + 4 * i);
        }
        int[] durations = new int[count];
        long[] decodeTimes = new long[count];
        ByteBuf stts = Finalizer.child(stbl, "stts");
        int sample = 0;
        long time = 0;
        for (int e = 0, n = stts.getInt(stts.readerIndex() + 4); e < n; e++) {
            int run = stts.getInt(stts.readerIndex() + 8 + 8 * e);
            int delta = stts.getInt(stts.readerIndex() + 12 + 8 * e);
            for (int i = 0; i < run && sample < count; i++, sample++) {
                durations[sample] = delta;
                decodeTimes[sample] = time;
                time += delta;
            }
        }
        int[] compositionOffsets = new int[count];
        List<ByteBuf> ctts = Finalizer.children(stbl, "ctts");
        if (!ctts.isEmpty()) {
            ByteBuf box = ctts.get(0);
            sample = 0;
            for (int e = 0, n = box.getInt(box.readerIndex() + 4); e < n; e++) {
                int run = box.getInt(box.readerIndex() + 8 + 8 * e);
                int offset = box.getInt(box.readerIndex() + 12 + 8 * e);
                for (int i = 0; i < run && sample < count; i++, sample++) {
                    compositionOffsets[sample] = offset;
                }
            }
        }
        boolean[] sync = new boolean[count];
        List<ByteBuf> stss = Finalizer.children(stbl, "stss");
        if (stss.isEmpty()) {
            java.util.Arrays.fill(sync, true);
        } else {
            ByteBuf box = stss.get(0);
            for (int e = 0, n = box.getInt(box.readerIndex() + 4); e < n; e++) {
                int number = box.getInt(box.readerIndex() + 8 + 4 * e);
                if (number >= 1 && number <= count) {
                    sync[number - 1] = true;
                }
            }
        }
        List<ByteBuf> stco = Finalizer.children(stbl, "stco");
        boolean wide = stco.isEmpty();
        ByteBuf offsetsBox = wide ? Finalizer.child(stbl, "co64") : stco.get(0);
        int chunks = offsetsBox.getInt(offsetsBox.readerIndex() + 4);
        long[] chunkOffsets = new long[chunks];
        for (int c = 0; c < chunks; c++) {
            chunkOffsets[c] = wide ? offsetsBox.getLong(offsetsBox.readerIndex() + 8 + 8 * c)
                    : offsetsBox.getUnsignedInt(offsetsBox.readerIndex() + 8 + 4 * c);
        }
        ByteBuf stsc = Finalizer.child(stbl, "stsc");
        int entries = stsc.getInt(stsc.readerIndex() + 4);
        long[] offsets = new long[count];
        sample = 0;
        for (int e = 0; e < entries; e++) {
            int firstChunk = stsc.getInt(stsc.readerIndex() + 8 + 12 * e) - 1;
            int perChunk = stsc.getInt(stsc.readerIndex() + 12 + 12 * e);
            int endChunk = e + 1 < entries ? stsc.getInt(stsc.readerIndex() + 8 + 12 * (e + 1)) - 1 : chunks;
            for (int c = firstChunk; c < endChunk && c < chunks; c++) {
                long at = chunkOffsets[c];
                for (int i = 0; i < perChunk && sample < count; i++, sample++) {
                    offsets[sample] = at;
                    at += sizes[sample];
                }
            }
        }
        return new Track(id, timescale, video, width, height, Finalizer.stsdBox(Finalizer.child(stbl, "stsd")), decodeTimes,
                durations, sizes, offsets, compositionOffsets, sync);
    }
}
