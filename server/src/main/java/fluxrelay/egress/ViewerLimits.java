package fluxrelay.egress;

import java.time.Duration;

/**
 * How viewer connections are fed.
 *
 * @param maxQueuedBytes past this many bytes queued for a viewer, its audio is dropped too
 * @param maxLag a viewer behind for longer is disconnected
 * @param flush how often the loop's viewers are flushed
 */
public record ViewerLimits(long maxQueuedBytes, Duration maxLag, FlushPolicy flush) {

    /** Limits with a fixed flush interval; zero flushes every frame. */
    public ViewerLimits(long maxQueuedBytes, Duration maxLag, Duration flushInterval) {
        this(maxQueuedBytes, maxLag, FlushPolicy.fixed(flushInterval));
    }
}
