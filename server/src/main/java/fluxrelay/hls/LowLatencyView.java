package fluxrelay.hls;

import java.util.List;

/**
 * The state a Low-Latency HLS media playlist is rendered from (RFC 8216bis 4.4.3.7 to 4.4.5.2): the
 * complete segments with their parts, the parts of the segment being written, and what comes next.
 *
 * @param base the complete segments and playlist-wide state
 * @param segmentParts the parts of each segment of {@code base}, aligned with it
 * @param segmentMaps the initialization segment (EXT-X-MAP URI) of each segment of {@code base}
 * @param openSequence media sequence number of the segment being written
 * @param openParts its parts so far
 * @param openDiscontinuity an EXT-X-DISCONTINUITY precedes the segment being written
 * @param openMap the initialization segment of the segment being written
 * @param preloadHint the URI of the next part (EXT-X-PRELOAD-HINT), or null when the stream ended
 * @param partTargetMs EXT-X-PART-INF PART-TARGET, ms
 */
public record LowLatencyView(PlaylistView base, List<List<PartInfo>> segmentParts, List<String> segmentMaps, long openSequence,
                             List<PartInfo> openParts, boolean openDiscontinuity, String openMap, String preloadHint, long partTargetMs) {

    public LowLatencyView {
        segmentParts = List.copyOf(segmentParts);
        segmentMaps = List.copyOf(segmentMaps);
        openParts = List.copyOf(openParts);
        if (segmentParts.size() != base.segments().size() || segmentMaps.size() != base.segments().size()) {
            throw new IllegalArgumentException("parts and maps must align with the segments");
        }
    }

    /**
     * True when the playlist holds segment {@code msn} complete or, with {@code part} >= 0, that part of it or
     * anything later (RFC 8216bis 6.2.5.2); always true once the stream ended.
     */
    public boolean contains(long msn, int part) {
        if (base.ended() || msn < openSequence) {
            return true;
        }
        return msn == openSequence && part >= 0 && part < openParts.size();
    }

    /**
     * True when {@code msn} is more than two segments beyond the last one in the playlist, which a server
     * answers with 400 Bad Request (RFC 8216bis 6.2.5.2).
     */
    public boolean tooFarAhead(long msn) {
        return msn > openSequence - 1 + 2;
    }
}
