package fluxrelay.loadtest.metrics;

/**
 * One viewer over one measurement window.
 *
 * @param kind protocol
 * @param state state at the end of the window
 * @param bytes payload bytes received in the window
 * @param frames frames (segments, for HLS) received in the window
 * @param stalled a gap between arrivals exceeded the stall threshold (or one was still open at the end)
 * @param coveredWindow the viewer was already playing when the window began
 * @param maxGapNanos longest gap between arrivals in the window
 */
public record WindowSample(ViewerKind kind, ViewerStats.State state, long bytes, long frames, boolean stalled, boolean coveredWindow,
                           long maxGapNanos) {

    /**
     * Healthy: playing through the whole window, at least {@code minShare} of the bytes the stream carried in
     * it, and no stall. Without a reference ({@code expectedBytes <= 0}) only the stall counts.
     */
    public boolean healthy(long expectedBytes, double minShare) {
        if (state != ViewerStats.State.PLAYING || !coveredWindow || stalled) {
            return false;
        }
        return expectedBytes <= 0 || bytes >= minShare * expectedBytes;
    }
}
