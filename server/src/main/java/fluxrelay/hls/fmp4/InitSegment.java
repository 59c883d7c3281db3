package fluxrelay.hls.fmp4;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The initialization segment of a fragmented MP4 stream (ISO/IEC 14496-12 8.8, CMAF 7.3.1): {@code ftyp},
 * then a {@code moov} whose tracks have empty sample tables, all samples coming in movie fragments, and an
 * {@code mvex} with one {@code trex} per track.
 */
public final class InitSegment {

    private static final int MOVIE_TIMESCALE = 1000;
    /** ISO 639-2/T "und" packed as three 5-bit letters (8.4.2.3). */
    private static final int LANGUAGE_UNDETERMINED = 0x55C4;

    private InitSegment() {
    }

    /** Writes {@code ftyp} and {@code moov} for the tracks, in track order. */
    public static void write(List<TrackConfig> tracks, ByteBuf out) {
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no track");
        }
        writeFtyp(out);
        int moov = Box.begin(out, "moov");
        writeMvhd(out, tracks.stream().mapToInt(TrackConfig::trackId).max().orElseThrow() + 1);
        for (TrackConfig track : tracks) {
            writeTrak(out, track);
        }
        int mvex = Box.begin(out, "mvex");
        for (TrackConfig track : tracks) {
            int trex = Box.beginFull(out, "trex", 0, 0);
            out.writeInt(track.trackId());
            out.writeInt(1); // default_sample_description_index
            out.writeInt(0); // default_sample_duration
            out.writeInt(0); // default_sample_size
            out.writeInt(0); // default_sample_flags
            Box.end(out, trex);
        }
        Box.end(out, mvex);
        Box.end(out, moov);
    }

    private static void writeFtyp(ByteBuf out) {
        int ftyp = Box.begin(out, "ftyp");
        Box.writeType(out, "iso6"); // major brand: 14496-12 with tfdt and default-base-is-moof
        out.writeInt(0);
        for (String brand : List.of("iso6", "cmfc", "isom", "mp41")) {
            Box.writeType(out, brand);
        }
        Box.end(out, ftyp);
    }

    private static void writeMvhd(ByteBuf out, int nextTrackId) {
        int mvhd = Box.beginFull(out, "mvhd", 0, 0);
        out.writeInt(0); // creation_time
        out.writeInt(0); // modification_time
        out.writeInt(MOVIE_TIMESCALE);
        out.writeInt(0); // duration: unknown, fragments follow
        out.writeInt(0x00010000); // rate 1.0
        out.writeShort(0x0100); // volume 1.0
        out.writeZero(2 + 8);
        Box.writeUnityMatrix(out);
        out.writeZero(6 * 4); // pre_defined
        out.writeInt(nextTrackId);
        Box.end(out, mvhd);
    }

    private static void writeTrak(ByteBuf out, TrackConfig track) {
        boolean video = track instanceof TrackConfig.Video;
        int trak = Box.begin(out, "trak");
        int tkhd = Box.beginFull(out, "tkhd", 0, 0x3); // track_enabled | track_in_movie
        out.writeInt(0); // creation_time
        out.writeInt(0); // modification_time
        out.writeInt(track.trackId());
        out.writeInt(0); // reserved
        out.writeInt(0); // duration
        out.writeZero(8);
        out.writeShort(0); // layer
        out.writeShort(0); // alternate_group
        out.writeShort(video ? 0 : 0x0100); // volume
        out.writeShort(0);
        Box.writeUnityMatrix(out);
        if (track instanceof TrackConfig.Video v) {
            out.writeInt(v.width() << 16);
            out.writeInt(v.height() << 16);
        } else {
            out.writeLong(0);
        }
        Box.end(out, tkhd);

        int mdia = Box.begin(out, "mdia");
        int mdhd = Box.beginFull(out, "mdhd", 0, 0);
        out.writeInt(0);
        out.writeInt(0);
        out.writeInt(track.timescale());
        out.writeInt(0);
        out.writeShort(LANGUAGE_UNDETERMINED);
        out.writeShort(0);
        Box.end(out, mdhd);
        int hdlr = Box.beginFull(out, "hdlr", 0, 0);
        out.writeInt(0);
        Box.writeType(out, video ? "vide" : "soun");
        out.writeZero(12);
        out.writeBytes((video ? "VideoHandler" : "SoundHandler").getBytes(StandardCharsets.US_ASCII));
        out.writeByte(0);
        Box.end(out, hdlr);
        writeMinf(out, track);
        Box.end(out, mdia);
        Box.end(out, trak);
    }

    private static void writeMinf(ByteBuf out, TrackConfig track) {
        int minf = Box.begin(out, "minf");
        if (track instanceof TrackConfig.Video) {
            int vmhd = Box.beginFull(out, "vmhd", 0, 1);
            out.writeZero(8); // graphicsmode, opcolor
            Box.end(out, vmhd);
        } else {
            int smhd = Box.beginFull(out, "smhd", 0, 0);
            out.writeInt(0); // balance, reserved
            Box.end(out, smhd);
        }
        int dinf = Box.begin(out, "dinf");
        int dref = Box.beginFull(out, "dref", 0, 0);
        out.writeInt(1);
        Box.end(out, Box.beginFull(out, "url ", 0, 1)); // media in this file
        Box.end(out, dref);
        Box.end(out, dinf);
        int stbl = Box.begin(out, "stbl");
        int stsd = Box.beginFull(out, "stsd", 0, 0);
        out.writeInt(1);
        SampleEntries.write(out, track);
        Box.end(out, stsd);
        for (String empty : List.of("stts", "stsc", "stco")) {
            int box = Box.beginFull(out, empty, 0, 0);
            out.writeInt(0); // entry_count
            Box.end(out, box);
        }
        int stsz = Box.beginFull(out, "stsz", 0, 0);
        out.writeInt(0); // sample_size
        out.writeInt(0); // sample_count
        Box.end(out, stsz);
        Box.end(out, stbl);
        Box.end(out, minf);
    }
}
