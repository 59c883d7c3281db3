package fluxrelay.config;

import java.time.Duration;

/**
 * HLS packaging and serving ({@code relay.hls}).
 *
 * @param enabled package every room with a publisher and serve {@code /hls/{room-id}/index.m3u8}
 * @param targetDuration segments are cut at the first keyframe once this long
 * @param window segments listed in the live playlist
 * @param maxSegmentBytes a segment growing past this without a keyframe is cut early
 * @param threads packaging threads shared by all rooms (resolved: never 0)
 * @param playlistMaxAge Cache-Control max-age of playlists; zero sends no-cache
 * @param segmentMaxAge Cache-Control max-age of segments
 * @param directory also write segments and playlists under this directory; empty for memory only
 * @param directoryKeepSegments keep segment files on disk after they leave memory (recording)
 * @param directoryMaxQueuedBytes disk writes queued beyond this are dropped
 * @param fmp4 also package an fMP4 Low-Latency HLS rendition, served as {@code ll.m3u8}
 * @param partTarget its partial segments last at most this long
 */
public record HlsConfig(boolean enabled, Duration targetDuration, int window, int maxSegmentBytes, int threads,
                        Duration playlistMaxAge, Duration segmentMaxAge, String directory, boolean directoryKeepSegments,
                        long directoryMaxQueuedBytes, boolean fmp4, Duration partTarget) {
}
