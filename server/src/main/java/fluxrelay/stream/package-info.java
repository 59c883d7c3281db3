/**
 * The stream hub: per room one publisher slot, a GOP cache, subscribers grouped by executor, the room
 * timeline, and the per-viewer drop policy.
 *
 * <p>Knows nothing of bytes on the wire: no channels, no RTMP, no HLS. May import {@code fluxrelay.media}
 * and Netty's reference counting only.
 */
package fluxrelay.stream;
