package fluxrelay.egress;

import java.time.Duration;

/**
 * How viewer connections are fed.
 *
 * @param maxQueuedBytes past this many bytes queued for a viewer, its audio is dropped too
 * @param maxLag a viewer behind for longer is disconnected
 * @param flushInterval writes are flushed at most this often; zero flushes every frame
 */
public record ViewerLimits(long maxQueuedBytes, Duration maxLag, Duration flushInterval) {
}
