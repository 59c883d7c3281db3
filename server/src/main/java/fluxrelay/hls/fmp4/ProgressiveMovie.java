package fluxrelay.hls.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The header of a progressive, fast-start MP4 (ISO/IEC 14496-12): {@code ftyp}, then a {@code moov} with full
 * sample tables ({@code stts}, {@code ctts}, {@code stss}, {@code stsc}, {@code stsz}, {@code stco} or
 * {@code co64}, 8.6 and 8.7), to be followed by one {@code mdat} holding the samples. With the index first a
 * player opens and seeks the file without reading to its end.
 */
public final class ProgressiveMovie {

    private static final int MOVIE_TIMESCALE = 1000;
    /** ISO 639-2/T "und" packed as three 5-bit letters (8.4.2.3). */
    private static final int LANGUAGE_UNDETERMINED = 0x55C4;
    /** Chunk offsets past this use {@code co64}: room for a moov of any length in front of the media. */
    private static final long WIDE_OFFSETS_FROM = 0xFFFFFFFFL - (256L << 20);

    /**
     * One track.
     *
     * @param trackId track_ID, from 1
     * @param timescale ticks per second of the table's durations
     * @param video a visual track (else sound)
     * @param width picture width, pixels (0 for sound)
     * @param height picture height, pixels (0 for sound)
     * @param sampleDescription the whole {@code stsd} box, as an initialization segment holds it
     * @param samples the sample table; chunk offsets count from the first media byte
     * @param presentationStart the media time presented first (the first picture's composition offset when pictures
     *     present after they decode), written as an edit list so that presentation starts at zero; 0 for none
     * @param startDelay how long after the movie's start the track begins, in its timescale (a track whose first
     *     sample came later than the other's), written as an empty edit before the media (8.6.6); 0 for none
     */
    public record Track(int trackId, int timescale, boolean video, int width, int height, byte[] sampleDescription,
                        SampleTable samples, long presentationStart, long startDelay) {

        public Track {
            sampleDescription = sampleDescription.clone();
            if (startDelay < 0) {
                throw new IllegalArgumentException("negative start delay");
            }
        }

        /** A track that starts with the movie. */
        public Track(int trackId, int timescale, boolean video, int width, int height, byte[] sampleDescription,
                     SampleTable samples, long presentationStart) {
            this(trackId, timescale, video, width, height, sampleDescription, samples, presentationStart, 0);
        }

        @Override
        public byte[] sampleDescription() {
            return sampleDescription.clone();
        }

        /** The track's presentation duration, in its timescale: from its first picture to the end of its last. */
        public long presentationDuration() {
            return presentationStart > 0 ? Math.max(0, samples.presentationEnd() - presentationStart) : samples.duration();
        }

        /** The track's presentation duration in seconds. */
        public double seconds() {
            return presentationDuration() / (double) timescale;
        }
    }

    private ProgressiveMovie() {
    }

    /**
     * {@code ftyp} and {@code moov} for media that starts {@code mdatHeaderLength} bytes after them (the
     * {@code mdat} header: 8, or 16 with a 64-bit size).
     */
    public static byte[] header(List<Track> tracks, int mdatHeaderLength, ByteBufAllocator allocator) {
        ByteBuf out = allocator.heapBuffer(4096);
        try {
            write(tracks, 0, out);
            long mediaStart = out.readableBytes() + (long) mdatHeaderLength;
            out.clear();
            write(tracks, mediaStart, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** Writes {@code ftyp} and {@code moov}; chunk offsets are the tables' plus {@code mediaStart}. */
    public static void write(List<Track> tracks, long mediaStart, ByteBuf out) {
        write(tracks, mediaStart, out, false);
    }

    /**
     * Writes the initialization segment of the same tracks as a fragmented stream (8.8, as {@link InitSegment}):
     * their sample descriptions with empty sample tables and an {@code mvex}, for media served as movie fragments.
     */
    public static void writeInit(List<Track> tracks, ByteBuf out) {
        List<Track> empty = tracks.stream().map(t -> new Track(t.trackId(), t.timescale(), t.video(), t.width(), t.height(),
                t.sampleDescription, new SampleTable(), 0)).toList();
        write(empty, 0, out, true);
    }

    private static void write(List<Track> tracks, long mediaStart, ByteBuf out, boolean fragmented) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no track");
        }
        int ftyp = Box.begin(out, "ftyp");
        Box.writeType(out, fragmented ? "iso6" : "isom");
        out.writeInt(fragmented ? 0 : 0x200);
        for (String brand : fragmented ? List.of("iso6", "isom", "mp41") : List.of("isom", "iso2", "avc1", "mp41")) {
            Box.writeType(out, brand);
        }
        Box.end(out, ftyp);
        long movieDuration = 0;
        for (Track track : tracks) {
            movieDuration = Math.max(movieDuration, movieTime(track));
        }
        int moov = Box.begin(out, "moov");
        boolean wide = movieDuration > 0xFFFFFFFFL;
        int mvhd = Box.beginFull(out, "mvhd", wide ? 1 : 0, 0);
        writeTimes(out, wide, MOVIE_TIMESCALE, movieDuration);
        out.writeInt(0x00010000); // rate 1.0
        out.writeShort(0x0100); // volume 1.0
        out.writeZero(2 + 8);
        Box.writeUnityMatrix(out);
        out.writeZero(6 * 4); // pre_defined
        out.writeInt(tracks.stream().mapToInt(Track::trackId).max().orElseThrow() + 1);
        Box.end(out, mvhd);
        for (Track track : tracks) {
            writeTrak(out, track, mediaStart);
        }
        if (fragmented) {
            int mvex = Box.begin(out, "mvex");
            for (Track track : tracks) {
                int trex = Box.beginFull(out, "trex", 0, 0);
                out.writeInt(track.trackId());
                out.writeInt(1); // default_sample_description_index
                out.writeZero(12); // default duration, size, flags
                Box.end(out, trex);
            }
            Box.end(out, mvex);
        }
        Box.end(out, moov);
    }

    /** creation and modification times (0), timescale and duration, 32- or 64-bit (8.2.2, 8.4.2). */
    private static void writeTimes(ByteBuf out, boolean wide, int timescale, long duration) {
        if (wide) {
            out.writeLong(0);
            out.writeLong(0);
            out.writeInt(timescale);
            out.writeLong(duration);
        } else {
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(timescale);
            out.writeInt((int) duration);
        }
    }

    /** The track's length on the movie's timeline, in the movie timescale: its start delay and its media. */
    private static long movieTime(Track track) {
        return delayTime(track) + mediaTime(track);
    }

    private static long delayTime(Track track) {
        return track.startDelay() * MOVIE_TIMESCALE / track.timescale();
    }

    private static long mediaTime(Track track) {
        return track.presentationDuration() * MOVIE_TIMESCALE / track.timescale();
    }

    private static void writeTrak(ByteBuf out, Track track, long mediaStart) {
        int trak = Box.begin(out, "trak");
        long duration = movieTime(track);
        boolean wide = duration > 0xFFFFFFFFL;
        int tkhd = Box.beginFull(out, "tkhd", wide ? 1 : 0, 0x3); // track_enabled | track_in_movie
        if (wide) {
            out.writeLong(0);
            out.writeLong(0);
            out.writeInt(track.trackId());
            out.writeInt(0);
            out.writeLong(duration);
        } else {
            out.writeInt(0);
            out.writeInt(0);
            out.writeInt(track.trackId());
            out.writeInt(0);
            out.writeInt((int) duration);
        }
        out.writeZero(8);
        out.writeShort(0); // layer
        out.writeShort(0); // alternate_group
        out.writeShort(track.video() ? 0 : 0x0100); // volume
        out.writeShort(0);
        Box.writeUnityMatrix(out);
        out.writeInt(track.width() << 16);
        out.writeInt(track.height() << 16);
        Box.end(out, tkhd);
        long delay = delayTime(track);
        if (track.presentationStart() > 0 || delay > 0) {
            // 8.6.6: an empty edit for a late start, then one presenting the media from its first picture
            int edts = Box.begin(out, "edts");
            int elst = Box.beginFull(out, "elst", 1, 0);
            out.writeInt(delay > 0 ? 2 : 1);
            if (delay > 0) {
                out.writeLong(delay); // segment_duration, movie timescale
                out.writeLong(-1); // media_time: empty
                out.writeInt(0x00010000);
            }
            out.writeLong(mediaTime(track));
            out.writeLong(track.presentationStart());
            out.writeInt(0x00010000); // media_rate 1.0
            Box.end(out, elst);
            Box.end(out, edts);
        }

        int mdia = Box.begin(out, "mdia");
        long mediaDuration = track.samples().duration();
        boolean wideMedia = mediaDuration > 0xFFFFFFFFL;
        int mdhd = Box.beginFull(out, "mdhd", wideMedia ? 1 : 0, 0);
        writeTimes(out, wideMedia, track.timescale(), mediaDuration);
        out.writeShort(LANGUAGE_UNDETERMINED);
        out.writeShort(0);
        Box.end(out, mdhd);
        int hdlr = Box.beginFull(out, "hdlr", 0, 0);
        out.writeInt(0);
        Box.writeType(out, track.video() ? "vide" : "soun");
        out.writeZero(12);
        out.writeBytes((track.video() ? "VideoHandler" : "SoundHandler").getBytes(StandardCharsets.US_ASCII));
        out.writeByte(0);
        Box.end(out, hdlr);
        int minf = Box.begin(out, "minf");
        if (track.video()) {
            int vmhd = Box.beginFull(out, "vmhd", 0, 1);
            out.writeZero(8);
            Box.end(out, vmhd);
        } else {
            int smhd = Box.beginFull(out, "smhd", 0, 0);
            out.writeInt(0);
            Box.end(out, smhd);
        }
        int dinf = Box.begin(out, "dinf");
        int dref = Box.beginFull(out, "dref", 0, 0);
        out.writeInt(1);
        Box.end(out, Box.beginFull(out, "url ", 0, 1)); // media in this file
        Box.end(out, dref);
        Box.end(out, dinf);
        int stbl = Box.begin(out, "stbl");
        out.writeBytes(track.sampleDescription);
        SampleTableBoxes.write(out, track.samples(), mediaStart, track.samples().lastChunkOffset() + mediaStart > WIDE_OFFSETS_FROM);
        Box.end(out, stbl);
        Box.end(out, minf);
        Box.end(out, mdia);
        Box.end(out, trak);
    }
}
