package fluxrelay.hls;

import io.netty.buffer.ByteBuf;

/**
 * A segment's bytes handed to a reader, with its playlist entry.
 *
 * @param info the playlist entry
 * @param data the bytes: a reference the receiver owns and must release (or pass on to Netty)
 */
public record SegmentContent(SegmentInfo info, ByteBuf data) {
}
