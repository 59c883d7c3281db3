package fluxrelay.recording;

import fluxrelay.hls.fmp4.Fragment;
import fluxrelay.hls.fmp4.ProgressiveMovie;
import fluxrelay.hls.fmp4.Sample;
import fluxrelay.hls.fmp4.SampleTable;
import fluxrelay.hls.fmp4.TrackRun;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A finalized recording as HLS VOD (RFC 8216 with fMP4 segments, 3.3): the playlist, the initialization segment
 * made from the MP4's sample descriptions, and each media segment cut on the fly from the MP4 at the video's sync
 * samples, one movie fragment per segment. Nothing is written to disk; the MP4 stays the one copy.
 */
public final class Replay {

    /** A segment is cut at the first sync sample once this long. */
    static final double TARGET_SECONDS = 6;

    private final Path file;
    private final MovieIndex index;
    /** Per segment, its first sample of the lead track; one more entry: the sample count. */
    private final int[] cuts;

    private Replay(Path file, MovieIndex index) {
        this.file = file;
        this.index = index;
        MovieIndex.Track lead = index.lead();
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        long segmentStart = 0;
        long target = (long) (TARGET_SECONDS * lead.timescale());
        for (int i = 1; i < lead.count(); i++) {
            if (lead.sync()[i] && lead.decodeTimes()[i] - segmentStart >= target) {
                starts.add(i);
                segmentStart = lead.decodeTimes()[i];
            }
        }
        starts.add(lead.count());
        this.cuts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Reads the recording's index (its moov). */
    public static Replay open(Path mp4) throws IOException {
        return new Replay(mp4, MovieIndex.read(mp4));
    }

    /** Media segments. */
    public int segments() {
        return cuts.length - 1;
    }

    /**
     * The VOD media playlist.
     *
     * @param query appended to every URI (the access token), e.g. {@code ?token=...}, or ""
     */
    public String playlist(String query) {
        MovieIndex.Track lead = index.lead();
        StringBuilder body = new StringBuilder();
        double longest = 0;
        for (int n = 0; n < segments(); n++) {
            double seconds = lead.seconds(end(lead, n) - lead.decodeTimes()[cuts[n]]);
            longest = Math.max(longest, seconds);
            body.append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", seconds)).append(n).append(".m4s").append(query).append('\n');
        }
        return "#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:" + (long) Math.ceil(longest) + "\n"
                + "#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-MAP:URI=\"init.mp4" + query + "\"\n"
                + body + "#EXT-X-ENDLIST\n";
    }

    /** The initialization segment. */
    public ByteBuf init(ByteBufAllocator allocator) {
        List<ProgressiveMovie.Track> tracks = index.tracks().stream().map(t -> new ProgressiveMovie.Track(t.id(), t.timescale(),
                t.video(), t.width(), t.height(), t.stsd(), new SampleTable(), 0)).toList();
        ByteBuf out = allocator.heapBuffer(1024);
        ProgressiveMovie.writeInit(tracks, out);
        return out;
    }

    /**
     * Media segment {@code n}: one movie fragment with each track's samples of that stretch, read from the MP4 (blocking
     * file reads: call off the event loops).
     *
     * @throws IndexOutOfBoundsException when there is no such segment
     */
    public ByteBuf segment(int n, ByteBufAllocator allocator) throws IOException {
        if (n < 0 || n >= segments()) {
            throw new IndexOutOfBoundsException("no segment " + n);
        }
        MovieIndex.Track lead = index.lead();
        double from = lead.seconds(lead.decodeTimes()[cuts[n]]);
        double to = n + 1 < segments() ? lead.seconds(lead.decodeTimes()[cuts[n + 1]]) : Double.MAX_VALUE;
        List<TrackRun> runs = new ArrayList<>();
        List<ByteBuf> buffers = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            for (MovieIndex.Track track : index.tracks()) {
                int first;
                int last;
                if (track == lead) {
                    first = cuts[n];
                    last = cuts[n + 1];
                } else {
                    first = firstAtOrAfter(track, from);
                    last = firstAtOrAfter(track, to);
                }
                if (first >= last) {
                    continue;
                }
                ByteBuf data = allocator.buffer();
                buffers.add(data);
                List<Sample> samples = new ArrayList<>(last - first);
                for (int i = first; i < last; i++) {
                    samples.add(new Sample(track.durations()[i], track.sizes()[i], track.sync()[i], track.compositionOffsets()[i]));
                    int read = 0;
                    while (read < track.sizes()[i]) {
                        int got = data.writeBytes(in, track.offsets()[i] + read, track.sizes()[i] - read);
                        if (got < 0) {
                            throw new IOException("the recording ends before its samples");
                        }
                        read += got;
                    }
                }
                runs.add(new TrackRun(track.id(), track.decodeTimes()[first], samples, data));
            }
            ByteBuf out = allocator.buffer();
            try {
                Fragment.write(n + 1, runs, out);
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
            return out;
        } finally {
            buffers.forEach(ByteBuf::release);
        }
    }

    /** Where segment {@code n} of the lead track ends: the next one's start, or the track's end. */
    private long end(MovieIndex.Track lead, int n) {
        int next = cuts[n + 1];
        return next < lead.count() ? lead.decodeTimes()[next]
                : lead.decodeTimes()[lead.count() - 1] + lead.durations()[lead.count() - 1];
    }

    /** The first sample of {@code track} decoded at or after {@code seconds}. */
    private static int firstAtOrAfter(MovieIndex.Track track, double seconds) {
        long time = seconds >= Double.MAX_VALUE / 2 ? Long.MAX_VALUE : (long) Math.ceil(seconds * track.timescale());
        int low = 0;
        int high = track.count();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (track.decodeTimes()[mid] < time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
