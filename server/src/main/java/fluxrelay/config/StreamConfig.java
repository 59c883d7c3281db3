package fluxrelay.config;

import java.time.Duration;

/**
 * The stream hub's limits ({@code relay.stream}).
 *
 * @param gopCacheMaxBytes most bytes the GOP cache of one room holds
 * @param gopCacheMaxFrames most frames the GOP cache of one room holds
 * @param viewerMaxLag a viewer behind for longer is disconnected
 * @param viewerMaxQueuedBytes past this many queued bytes a viewer's audio is dropped too
 * @param flushInterval writes to a viewer wait at most this long for their flush while the loop is not crowded; zero
 *     flushes every frame
 * @param flushIntervalMax the longest such wait on a crowded loop
 * @param flushesPerSecond viewer flushes per second and event loop past which the wait grows toward the maximum
 * @param maxViewersPerRoom most viewers one room takes
 * @param viewerIdleTimeout a viewer that received nothing this long is disconnected
 * @param maxTimestampJump a publisher's timestamp stepping forward further than this (or back) rebases the room's timeline
 */
public record StreamConfig(long gopCacheMaxBytes, int gopCacheMaxFrames, Duration viewerMaxLag, long viewerMaxQueuedBytes,
                           Duration flushInterval, Duration flushIntervalMax, int flushesPerSecond, int maxViewersPerRoom, Duration viewerIdleTimeout,
                           Duration maxTimestampJump) {
}
