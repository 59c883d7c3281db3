package fluxrelay.loadtest.hls;

import java.util.ArrayList;
import java.util.List;

/**
 * An HLS playlist as a player reads it (RFC 8216 section 4): a multivariant (master) playlist listing
 * variant streams, or a media playlist listing segments.
 */
public sealed interface Playlist permits Playlist.Multivariant, Playlist.Media {

    /**
     * A multivariant playlist (RFC 8216 4.3.4.2 EXT-X-STREAM-INF).
     *
     * @param variants URIs of the variant streams' media playlists, in order, with their BANDWIDTH
     */
    record Multivariant(List<Variant> variants) implements Playlist {
    }

    /** One variant stream: its media playlist URI and peak BANDWIDTH (bit/s, 0 when absent). */
    record Variant(String uri, long bandwidth) {
    }

    /**
     * A media playlist.
     *
     * @param targetDurationSeconds EXT-X-TARGETDURATION (4.3.3.1)
     * @param mediaSequence EXT-X-MEDIA-SEQUENCE of the first segment (4.3.3.2), 0 when absent
     * @param segments the segments in order
     * @param ended EXT-X-ENDLIST present (4.3.3.4): no more segments will be added
     */
    record Media(int targetDurationSeconds, long mediaSequence, List<Segment> segments, boolean ended) implements Playlist {

        /**
         * Where a live player starts (RFC 8216 6.3.3: no closer than three target durations to the end):
         * the sequence number of the segment that leaves at least that much media after its start.
         */
        public long liveStartSequence() {
            double fromEnd = 0;
            for (int i = segments.size() - 1; i >= 0; i--) {
                fromEnd += segments.get(i).durationSeconds();
                if (fromEnd >= 3.0 * targetDurationSeconds) {
                    return segments.get(i).sequence();
                }
            }
            return segments.isEmpty() ? mediaSequence : segments.get(0).sequence();
        }

        /** Segments with a sequence number at or after {@code sequence}. */
        public List<Segment> from(long sequence) {
            List<Segment> out = new ArrayList<>();
            for (Segment segment : segments) {
                if (segment.sequence() >= sequence) {
                    out.add(segment);
                }
            }
            return out;
        }

        /** Sequence number after the last segment. */
        public long endSequence() {
            return mediaSequence + segments.size();
        }
    }

    /**
     * One media segment (RFC 8216 4.3.2.1 EXTINF).
     *
     * @param uri the segment URI as written (relative to the playlist)
     * @param durationSeconds EXTINF duration
     * @param sequence media sequence number
     */
    record Segment(String uri, double durationSeconds, long sequence) {
    }
}
