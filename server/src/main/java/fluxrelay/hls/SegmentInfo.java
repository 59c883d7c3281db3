package fluxrelay.hls;

/**
 * What a playlist says about a segment (RFC 8216 4.3.2): no bytes, so it can outlive them.
 *
 * @param sequence the media sequence number
 * @param name the file name, unique for this server run (the URI relative to the playlist)
 * @param startTimestamp first frame on the room timeline, ms
 * @param durationMs duration (EXTINF), ms
 * @param discontinuity an EXT-X-DISCONTINUITY precedes it (new publisher or new codec parameters)
 * @param programDateTime wall-clock time of its first frame, epoch ms (EXT-X-PROGRAM-DATE-TIME)
 * @param bytes its size
 * @param completedAt when it was complete, epoch ms (Last-Modified)
 */
public record SegmentInfo(long sequence, String name, long startTimestamp, long durationMs, boolean discontinuity,
                          long programDateTime, int bytes, long completedAt) {

    /** Bits per second of this segment. */
    public long bitrate() {
        return durationMs <= 0 ? 0 : bytes * 8000L / durationMs;
    }
}
