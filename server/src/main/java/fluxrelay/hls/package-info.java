/**
 * HLS output (RFC 8216): a packager per room that subscribes to the room's stream hub, a segmenter that
 * cuts at keyframes, container writers (MPEG-TS via {@code fluxrelay.hls.ts}), an in-memory segment store
 * with the sliding window of 6.2.2, playlist rendering (4.3), and an optional mirror of it all on disk.
 *
 * <p>The segmenter, store and playlists know nothing of the container, so fragmented MP4 and Low-Latency
 * HLS parts can sit beside MPEG-TS: a segment is a list of parts. May import {@code fluxrelay.stream},
 * {@code fluxrelay.media} and {@code fluxrelay.hls.ts}; never HTTP, RTMP or config. Segment bytes are
 * reference counted: the store owns them, readers take their own reference.
 */
package fluxrelay.hls;
