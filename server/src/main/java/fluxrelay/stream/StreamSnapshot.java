package fluxrelay.stream;

import java.net.SocketAddress;

/**
 * A feed's live state at one moment, for the admin API, metrics and logs.
 *
 * @param roomId the room
 * @param feedId the room's feed (input) this hub carries
 * @param publishing a publisher holds the room
 * @param shown the room is switched live (GO LIVE)
 * @param visible viewers are receiving frames (publishing and shown)
 * @param subscribers outputs subscribed, waiting ones included
 * @param attachedSubscribers outputs currently receiving frames
 * @param gopCacheFrames frames in the GOP cache
 * @param gopCacheBytes bytes in the GOP cache
 * @param ingest ingest figures of the current publish, or null
 * @param publisherAddress the publisher's address, or null
 * @param lastTimestamp last timestamp on the room timeline, ms, or -1
 */
public record StreamSnapshot(String roomId, String feedId, boolean publishing, boolean shown, boolean visible, int subscribers,
                             int attachedSubscribers, int gopCacheFrames, long gopCacheBytes, IngestSnapshot ingest,
                             SocketAddress publisherAddress, long lastTimestamp) {
}
