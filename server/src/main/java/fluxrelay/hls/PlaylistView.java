package fluxrelay.hls;

import java.util.List;

/**
 * The state a media playlist is rendered from (RFC 8216 4.3.3): consistent, immutable.
 *
 * @param targetDuration EXT-X-TARGETDURATION, whole seconds
 * @param mediaSequence EXT-X-MEDIA-SEQUENCE: the sequence number of the first listed segment
 * @param discontinuitySequence EXT-X-DISCONTINUITY-SEQUENCE: discontinuities that left the window
 * @param segments the listed segments, oldest first
 * @param ended EXT-X-ENDLIST: the stream ended and no segment follows (until a new publish reopens it)
 * @param independentSegments every segment starts with a picture a decoder can start from
 */
public record PlaylistView(int targetDuration, long mediaSequence, long discontinuitySequence, List<SegmentInfo> segments,
                           boolean ended, boolean independentSegments) {

    public PlaylistView {
        segments = List.copyOf(segments);
    }
}
