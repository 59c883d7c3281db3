package fluxrelay.hls;

import fluxrelay.stream.FeedId;
import java.util.Optional;

/**
 * Keeps a feed's HLS numbering going across packagers on different nodes: the packager tells where each rendition
 * stands after every segment, and asks, when a publish starts, whether it must go on from a position another
 * packager reached. A single node needs none of this ({@link #NONE}): its packager outlives a publisher's reconnect
 * and numbers on by itself. Both calls run on the packaging thread and must not block.
 */
public interface HlsContinuity {

    /** Nothing recorded, nothing to go on from. */
    HlsContinuity NONE = new HlsContinuity() {
        @Override
        public Optional<HlsStart> start(FeedId feed, Rendition rendition) {
            return Optional.empty();
        }

        @Override
        public void reached(FeedId feed, Rendition rendition, HlsStart next, String namePrefix) {
        }
    };

    /** The two numberings a feed may have: its MPEG-TS and its fMP4 (Low-Latency) playlists. */
    enum Rendition { TS, FMP4 }

    /**
     * Where {@code rendition} of {@code feed} must go on from when a publish starts here, or empty to number as the
     * packager would. A packager already further along keeps its own numbering.
     */
    Optional<HlsStart> start(FeedId feed, Rendition rendition);

    /**
     * {@code rendition} of {@code feed} finished a segment: {@code next} is where its next one would start.
     * {@code namePrefix} starts its segment and part names (another packager must pick another).
     */
    void reached(FeedId feed, Rendition rendition, HlsStart next, String namePrefix);
}
