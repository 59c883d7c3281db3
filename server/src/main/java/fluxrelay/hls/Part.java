package fluxrelay.hls;

import io.netty.buffer.ByteBuf;

/**
 * A run of a segment's media: the whole segment for MPEG-TS, a partial segment for Low-Latency HLS.
 *
 * @param data the bytes; the owning {@link Segment} holds this reference and releases it
 * @param startTimestamp first frame on the room timeline, ms
 * @param durationMs duration, ms
 * @param independent starts with a frame a decoder can start from (RFC 8216bis EXT-X-PART INDEPENDENT)
 */
public record Part(ByteBuf data, long startTimestamp, long durationMs, boolean independent) {
}
