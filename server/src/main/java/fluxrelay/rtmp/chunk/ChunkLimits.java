package fluxrelay.rtmp.chunk;

/**
 * Per-connection limits of the chunk decoder (RTMP spec 5.3, 5.4.1). The spec lets a peer raise its
 * chunk size to 2^31-1 and announce messages of up to 2^24-1 bytes on up to 65598 chunk streams;
 * a server accepting untrusted publishers refuses anything beyond these bounds instead.
 *
 * <p>The message length and the chunk stream count alone do not bound memory: 64 streams may each
 * hold a partial message of 16 MiB. The two buffered-bytes budgets bound their sum, counted as the
 * declared length of every message under reassembly. A peer starts untrusted; the layer above raises
 * it to the trusted budget with {@link PeerTrusted} (the server does so once a publish is admitted).
 *
 * @param maxIncomingChunkSize largest chunk size a peer may set with Set Chunk Size (1..2^31-1)
 * @param maxMessageLength largest declared message length accepted, in bytes (1..16 MiB; the 24-bit
 *     length field cannot declare more than 16 MiB - 1, so 16 MiB means "whatever the wire allows")
 * @param maxChunkStreams how many distinct chunk stream ids a peer may open on one connection (1..65598)
 * @param maxBufferedBytes most bytes of partial messages an untrusted peer may have under reassembly at once
 * @param maxBufferedBytesTrusted the same once the peer is trusted; at least {@code maxBufferedBytes}
 */
public record ChunkLimits(int maxIncomingChunkSize, int maxMessageLength, int maxChunkStreams, long maxBufferedBytes,
                          long maxBufferedBytesTrusted) {

    /** Chunk size both directions start with, before any Set Chunk Size (RTMP spec 5.4.1). */
    public static final int INITIAL_CHUNK_SIZE = 128;

    /** Largest message length the 3-byte length field can declare (RTMP spec 5.3.1.2.1). */
    public static final int MAX_WIRE_MESSAGE_LENGTH = 0xFFFFFF;

    private static final int MESSAGE_LENGTH_CEILING = 16 * 1024 * 1024;

    /** Number of chunk stream ids the basic header can address: 2..65599 (RTMP spec 5.3.1.1). */
    public static final int MAX_WIRE_CHUNK_STREAMS = 65598;

    /** 64 KiB chunks, 16 MiB messages, 64 chunk streams, no buffered-bytes budget (a client reading its server). */
    public static final ChunkLimits DEFAULTS = new ChunkLimits(65536, MESSAGE_LENGTH_CEILING, 64);

    public ChunkLimits {
        if (maxIncomingChunkSize < INITIAL_CHUNK_SIZE) {
            throw new IllegalArgumentException("maxIncomingChunkSize must be at least the initial chunk size "
                    + INITIAL_CHUNK_SIZE + ", got " + maxIncomingChunkSize);
        }
        if (maxMessageLength < 1 || maxMessageLength > MESSAGE_LENGTH_CEILING) {
            throw new IllegalArgumentException("maxMessageLength must be in 1.." + MESSAGE_LENGTH_CEILING
                    + " (16 MiB, beyond what the 24-bit length field can declare), got " + maxMessageLength);
        }
        if (maxChunkStreams < 1 || maxChunkStreams > MAX_WIRE_CHUNK_STREAMS) {
            throw new IllegalArgumentException("maxChunkStreams must be in 1.." + MAX_WIRE_CHUNK_STREAMS
                    + ", got " + maxChunkStreams);
        }
        if (maxBufferedBytes < 1) {
            throw new IllegalArgumentException("maxBufferedBytes must be positive, got " + maxBufferedBytes);
        }
        if (maxBufferedBytesTrusted < maxBufferedBytes) {
            throw new IllegalArgumentException("maxBufferedBytesTrusted must be at least maxBufferedBytes ("
                    + maxBufferedBytes + "), got " + maxBufferedBytesTrusted);
        }
    }

    /** Limits without a buffered-bytes budget, for a peer that is trusted anyway (a client reading its own server). */
    public ChunkLimits(int maxIncomingChunkSize, int maxMessageLength, int maxChunkStreams) {
        this(maxIncomingChunkSize, maxMessageLength, maxChunkStreams, Long.MAX_VALUE, Long.MAX_VALUE);
    }
}
