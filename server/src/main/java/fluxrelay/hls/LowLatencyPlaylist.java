package fluxrelay.hls;

/**
 * The Low-Latency HLS media playlist of a room as served at one moment.
 *
 * @param text the playlist
 * @param tag its entity tag (quoted, for ETag)
 * @param lastModified when it last changed, epoch ms
 * @param view the state it was rendered from (for blocking reloads)
 */
public record LowLatencyPlaylist(String text, String tag, long lastModified, LowLatencyView view) {
}
