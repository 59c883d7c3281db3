package fluxrelay.config;

import java.time.Duration;

/**
 * The RTMP listener and its per-connection limits ({@code relay.rtmp}).
 *
 * @param host bind address
 * @param port TCP port, 0 for an ephemeral one
 * @param eventLoopThreads event loop threads (a configured 0 is two per core the JVM may use, one with merged writes)
 * @param setupThreads event loop threads new connections are set up on before moving to one of the others to play or
 *     publish; 0 for none (set up on their worker loop)
 * @param ingestThreads event loop threads publishers move to from their setup loop, apart from the viewers' loops; 0
 *     for none (publishers move to the viewers' loops); used only with setup loops
 * @param handshakeTimeout the handshake must finish within this time
 * @param session what a session announces, how long it waits, how many NetStreams it takes
 * @param chunks chunk stream limits
 * @param amf AMF (command and metadata) limits
 * @param writeBuffer viewer write buffer watermarks
 * @param publishFailures the key-guessing limit
 * @param partialMessages budgets for bytes held in partly received messages
 */
public record RtmpConfig(String host, int port, int eventLoopThreads, int setupThreads, int ingestThreads, Duration handshakeTimeout, Session session, Chunks chunks,
                         Amf amf, WriteBuffer writeBuffer, PublishFailures publishFailures, PartialMessagesConfig partialMessages) {

    /**
     * Largest {@code max-message-length} the chunk layer takes: 16 MiB, already past what the 24-bit length field
     * can declare (RTMP spec 5.3.1.2.1). A test keeps it equal to the chunk decoder's own ceiling.
     */
    public static final int MESSAGE_LENGTH_CEILING = 16 * 1024 * 1024;

    /** Most chunk streams the basic header can address (RTMP spec 5.3.1.1), the chunk decoder's ceiling. */
    public static final int CHUNK_STREAMS_CEILING = 65598;

    /**
     * Per-connection session behaviour.
     *
     * @param chunkSize outbound chunk size announced to peers
     * @param windowAckSize Window Acknowledgement Size sent to peers
     * @param peerBandwidth Set Peer Bandwidth sent to peers
     * @param publisherIdleTimeout a publisher without media for this long is disconnected
     * @param publisherTakeoverAfter a publisher silent this long may be replaced by a new publish
     * @param idleConnectionTimeout a connection neither publishing nor playing this long is closed
     * @param maxStreamsPerConnection most NetStreams one connection may create
     */
    public record Session(int chunkSize, long windowAckSize, long peerBandwidth, Duration publisherIdleTimeout,
                          Duration publisherTakeoverAfter, Duration idleConnectionTimeout, int maxStreamsPerConnection) {
    }

    /**
     * Chunk stream limits (RTMP spec 5.3).
     *
     * @param maxIncomingChunkSize largest chunk size a peer may announce
     * @param maxMessageLength largest message accepted
     * @param maxChunkStreams most chunk streams per connection
     */
    public record Chunks(int maxIncomingChunkSize, int maxMessageLength, int maxChunkStreams) {
    }

    /**
     * AMF limits of one message.
     *
     * @param maxDepth deepest nesting accepted
     * @param maxStringLength longest string accepted, bytes
     * @param maxElements most values in one message
     */
    public record Amf(int maxDepth, int maxStringLength, int maxElements) {
    }

    /**
     * Netty write buffer watermarks of a viewer connection, bytes.
     *
     * @param lowWaterMark below it a viewer is writable again
     * @param highWaterMark above it a viewer counts as behind
     */
    public record WriteBuffer(int lowWaterMark, int highWaterMark) {
    }

    /**
     * Key guessing: refused publishes an address may make per window before it must wait.
     *
     * @param perWindow refused publishes per address per window
     * @param window the window
     */
    public record PublishFailures(int perWindow, Duration window) {
    }
}
