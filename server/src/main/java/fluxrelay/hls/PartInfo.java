package fluxrelay.hls;

/**
 * What a Low-Latency HLS playlist says about a partial segment (RFC 8216bis 4.4.4.9, EXT-X-PART).
 *
 * @param name the file name (the URI relative to the playlist)
 * @param durationMs duration, ms
 * @param independent starts with a frame a decoder can start from (INDEPENDENT=YES)
 */
public record PartInfo(String name, long durationMs, boolean independent) {
}
