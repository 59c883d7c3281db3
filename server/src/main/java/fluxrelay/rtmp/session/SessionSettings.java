package fluxrelay.rtmp.session;

import java.time.Duration;

/**
 * Per-connection behaviour of RTMP sessions.
 *
 * @param chunkSize outbound chunk size announced after connect
 * @param windowAckSize Window Acknowledgement Size sent after connect
 * @param peerBandwidth Set Peer Bandwidth sent after connect
 * @param publisherIdleTimeout a publisher without media this long is disconnected
 * @param idleConnectionTimeout a connection neither publishing nor playing this long is closed
 * @param maxStreamsPerConnection most NetStreams one connection may create
 * @param viewerIdleTimeout a viewer that received nothing this long is disconnected
 * @param publisherGapGrace how long a viewer whose room's encoder stopped waits for another before it is told the stream
 *     was unpublished (which ends most players' play); zero tells it at once
 */
public record SessionSettings(int chunkSize, long windowAckSize, long peerBandwidth, Duration publisherIdleTimeout,
                              Duration idleConnectionTimeout, int maxStreamsPerConnection, Duration viewerIdleTimeout,
                              Duration publisherGapGrace) {

    /** Settings whose viewers are told at once when their room's encoder stops (no grace). */
    public SessionSettings(int chunkSize, long windowAckSize, long peerBandwidth, Duration publisherIdleTimeout,
                           Duration idleConnectionTimeout, int maxStreamsPerConnection, Duration viewerIdleTimeout) {
        this(chunkSize, windowAckSize, peerBandwidth, publisherIdleTimeout, idleConnectionTimeout, maxStreamsPerConnection,
                viewerIdleTimeout, Duration.ZERO);
    }
}
