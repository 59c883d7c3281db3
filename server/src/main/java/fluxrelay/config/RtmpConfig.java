package fluxrelay.config;

import java.time.Duration;

/**
 * The RTMP listener and its per-connection limits ({@code relay.rtmp}).
 *
 * @param host bind address
 * @param port TCP port, 0 for an ephemeral one
 * @param handshakeTimeout the handshake must finish within this time
 * @param chunkSize outbound chunk size announced to peers
 * @param maxIncomingChunkSize largest chunk size a peer may announce
 * @param maxMessageLength largest message accepted
 * @param maxChunkStreams most chunk streams per connection
 * @param windowAckSize Window Acknowledgement Size sent to peers
 * @param peerBandwidth Set Peer Bandwidth sent to peers
 * @param publisherIdleTimeout a publisher without media for this long is disconnected
 * @param publisherTakeoverAfter a publisher silent this long may be replaced by a new publish
 * @param idleConnectionTimeout a connection neither publishing nor playing this long is closed
 * @param writeBufferLowWaterMark viewer write buffer low mark, bytes
 * @param writeBufferHighWaterMark viewer write buffer high mark, bytes
 * @param eventLoopThreads event loop threads, 0 for one per core
 * @param amfMaxDepth deepest AMF nesting accepted
 * @param amfMaxStringLength longest AMF string accepted, bytes
 * @param publishFailuresPerWindow refused publishes per address per window before it must wait
 * @param publishFailureWindow the key-guessing window
 * @param partialMessages budgets for bytes held in partly received messages
 */
public record RtmpConfig(String host, int port, Duration handshakeTimeout, int chunkSize, int maxIncomingChunkSize,
                         int maxMessageLength, int maxChunkStreams, long windowAckSize, long peerBandwidth,
                         Duration publisherIdleTimeout, Duration publisherTakeoverAfter, Duration idleConnectionTimeout,
                         int writeBufferLowWaterMark, int writeBufferHighWaterMark, int eventLoopThreads, int amfMaxDepth,
                         int amfMaxStringLength, int publishFailuresPerWindow, Duration publishFailureWindow,
                         PartialMessagesConfig partialMessages) {
}
