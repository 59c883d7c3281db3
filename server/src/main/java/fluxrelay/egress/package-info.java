/**
 * Feeding viewer connections from the stream hub over Netty: the per-viewer drop policy applied against
 * the channel's outbound queue, batched flushes per event loop, and lag disconnects. Shared by RTMP play
 * and HTTP-FLV.
 *
 * <p>May import {@code stream}, {@code media} and Netty; nothing of RTMP or HTTP.
 */
package fluxrelay.egress;
