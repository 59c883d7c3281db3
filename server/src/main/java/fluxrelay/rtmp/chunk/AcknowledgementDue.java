package fluxrelay.rtmp.chunk;

/**
 * User event fired by {@link ChunkDecoder} when the bytes received since the last acknowledgement
 * reach the peer's Window Acknowledgement Size (RTMP spec 5.4.3, 5.4.4). The session answers with an
 * Acknowledgement message (type 3) carrying {@code sequenceNumber}.
 *
 * @param sequenceNumber total bytes received on the connection, modulo 2^32
 */
public record AcknowledgementDue(long sequenceNumber) {

    public AcknowledgementDue {
        if (sequenceNumber < 0 || sequenceNumber > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("sequenceNumber must be a 32-bit unsigned value, got " + sequenceNumber);
        }
    }
}
