package fluxrelay.rtmp.chunk;

/**
 * User event, fired through the pipeline by the layer above the chunk stream, saying the peer has proven
 * itself: {@link ChunkDecoder} moves the connection from {@link ChunkLimits#maxBufferedBytes()} to
 * {@link ChunkLimits#maxBufferedBytesTrusted()} and its reservations to the trusted share of the
 * {@link ReassemblyBudget}. The decoder consumes the event. What earns trust is not the codec's business;
 * the server fires it once a publish has been admitted.
 */
public enum PeerTrusted {
    INSTANCE
}
