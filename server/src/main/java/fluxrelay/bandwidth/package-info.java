/**
 * Per-viewer bandwidth: whether each viewer's link carries the rate a room's live stream needs, before
 * playback (RTMP bandwidth detection, the HTTP probe) and all along it (delivery-rate windows of each
 * connection, segment delivery of HLS clients).
 *
 * <p>Protocol-neutral and free of I/O: requirements and policies per room, the delivery estimator that
 * classifies a viewer from samples, verdict records, signed short-lived tokens that carry a probe's verdict
 * into a playback URL, the probe payload, and per-room counters readable as a {@link
 * fluxrelay.bandwidth.BandwidthSnapshot}. The RTMP, HTTP and egress packages measure; this package judges.
 * In a room with quality renditions it also chooses ({@link fluxrelay.bandwidth.BandwidthLadder}): renditions come
 * in as ids and needs ({@link fluxrelay.bandwidth.RenditionNeed}), never as hubs.
 *
 * <p>Token MACs are HMAC-SHA256 (RFC 2104, FIPS 198-1); tokens are base64url (RFC 4648 section 5).
 * May import only the JDK and Netty buffers (the probe payload).
 */
package fluxrelay.bandwidth;
