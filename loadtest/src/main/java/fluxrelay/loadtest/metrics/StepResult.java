package fluxrelay.loadtest.metrics;

/**
 * The figures of one kind of viewer in one step of a run: the row of the reports.
 *
 * @param label the server under test
 * @param step step number, from 1
 * @param kind protocol of these viewers
 * @param viewers viewers started (target of the step)
 * @param playing viewers that had received a first frame and not failed at the end of the window
 * @param failed viewers failed so far
 * @param healthy viewers healthy over the window
 * @param receivedShareMedian median over viewers of bytes received / bytes published in the window
 * @param receivedShareMin lowest such share
 * @param stalled viewers with a stall in the window
 * @param latency relay latency of stamped frames received in the window; for LL-HLS, the age of each announced part
 *     when it was received whole (from its last sample's capture by EXT-X-PROGRAM-DATE-TIME)
 * @param timeToFirstFrame connect to first keyframe (first segment for HLS, first part for LL-HLS) of viewers that joined
 *     in this step
 * @param longestGap over the viewers that played through the whole window, each one's longest gap between arrivals in
 *     it (its longest rebuffering for HLS): what an interruption, such as an origin failover, cost them
 * @param segmentsPerSecond HLS segments (LL-HLS parts) downloaded per second in the window (0 for other kinds)
 * @param streamKbps bitrate the publishers sent in the window (per publisher), kbit/s
 * @param receivedMbps bitrate all these viewers received, Mbit/s
 * @param serverCpu server CPU seconds per second over the window (NaN without a server pid)
 * @param serverCoreBusy busy share of the server's core over the window, kernel interrupt work included (NaN without
 *     a core)
 * @param serverWritesPerSecond server write system calls per second over the window (NaN without a server pid)
 * @param serverRssMiB server resident memory at the end of the window
 * @param serverHeapMiB server used Java heap at the end of the window (NaN when not a JVM)
 * @param rssPerViewerKiB growth of the server's RSS since the no-viewer baseline, per viewer of the step
 * @param loadCpu load generator CPU seconds per second over the window
 * @param windowSeconds length of the window
 * @param partDelay LL-HLS: from receiving the playlist that announced a part to having it whole, parts of the window
 * @param partsOnTime LL-HLS: share of those parts received whole within {@link #PART_ON_TIME_MICROS} of their
 *     announcement (NaN for other kinds)
 * @param keyframeLatency the relay latency of the keyframes among {@code latency}'s frames (RTMP, HTTP-FLV): the
 *     largest frames, which every viewer gets at once
 */
public record StepResult(String label, int step, ViewerKind kind, int viewers, int playing, long failed, int healthy,
                         double receivedShareMedian, double receivedShareMin, int stalled, Percentiles latency,
                         Percentiles timeToFirstFrame, Percentiles longestGap, double segmentsPerSecond, double streamKbps, double receivedMbps,
                         double serverCpu, double serverCoreBusy, double serverWritesPerSecond, double serverRssMiB, double serverHeapMiB, double rssPerViewerKiB, double loadCpu,
                         double windowSeconds, Percentiles partDelay, double partsOnTime, Percentiles keyframeLatency) {

    /** A part is on time when delivered within 100 ms of the playlist announcing it (the LL-HLS target of the project). */
    public static final long PART_ON_TIME_MICROS = 100_000;

    /** A result without keyframe latency. */
    public StepResult(String label, int step, ViewerKind kind, int viewers, int playing, long failed, int healthy,
                      double receivedShareMedian, double receivedShareMin, int stalled, Percentiles latency,
                      Percentiles timeToFirstFrame, Percentiles longestGap, double segmentsPerSecond, double streamKbps, double receivedMbps,
                      double serverCpu, double serverCoreBusy, double serverWritesPerSecond, double serverRssMiB, double serverHeapMiB,
                      double rssPerViewerKiB, double loadCpu, double windowSeconds, Percentiles partDelay, double partsOnTime) {
        this(label, step, kind, viewers, playing, failed, healthy, receivedShareMedian, receivedShareMin, stalled, latency, timeToFirstFrame,
                longestGap, segmentsPerSecond, streamKbps, receivedMbps, serverCpu, serverCoreBusy, serverWritesPerSecond, serverRssMiB,
                serverHeapMiB, rssPerViewerKiB, loadCpu, windowSeconds, partDelay, partsOnTime, Percentiles.EMPTY);
    }

    /** A result without LL-HLS part figures or keyframe latency. */
    public StepResult(String label, int step, ViewerKind kind, int viewers, int playing, long failed, int healthy,
                      double receivedShareMedian, double receivedShareMin, int stalled, Percentiles latency,
                      Percentiles timeToFirstFrame, Percentiles longestGap, double segmentsPerSecond, double streamKbps, double receivedMbps,
                      double serverCpu, double serverCoreBusy, double serverWritesPerSecond, double serverRssMiB, double serverHeapMiB,
                      double rssPerViewerKiB, double loadCpu, double windowSeconds) {
        this(label, step, kind, viewers, playing, failed, healthy, receivedShareMedian, receivedShareMin, stalled, latency, timeToFirstFrame,
                longestGap, segmentsPerSecond, streamKbps, receivedMbps, serverCpu, serverCoreBusy, serverWritesPerSecond, serverRssMiB,
                serverHeapMiB, rssPerViewerKiB, loadCpu, windowSeconds, Percentiles.EMPTY, Double.NaN);
    }

    /** Healthy viewers as a share of those started. */
    public double healthyShare() {
        return viewers == 0 ? 0 : healthy / (double) viewers;
    }
}
