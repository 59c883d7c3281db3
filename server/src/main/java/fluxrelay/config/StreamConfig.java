package fluxrelay.config;

import java.time.Duration;

/**
 * The stream hub's limits ({@code relay.stream}).
 *
 * @param gopCacheMaxBytes most bytes the GOP cache of one room holds
 * @param gopCacheMaxFrames most frames the GOP cache of one room holds
 * @param viewerMaxLag a viewer behind for longer is disconnected
 * @param viewerMaxQueuedBytes past this many queued bytes a viewer's audio is dropped too
 * @param flushInterval writes to a viewer are flushed at most this often; zero flushes every frame
 * @param maxViewersPerRoom most viewers one room takes
 * @param viewerIdleTimeout a viewer that received nothing this long is disconnected
 */
public record StreamConfig(long gopCacheMaxBytes, int gopCacheMaxFrames, Duration viewerMaxLag, long viewerMaxQueuedBytes,
                           Duration flushInterval, int maxViewersPerRoom, Duration viewerIdleTimeout) {
}
