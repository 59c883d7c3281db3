package fluxrelay.loadtest.metrics;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latency and time-to-first-frame histograms of all viewers of one protocol, in microseconds. Recording is
 * wait-free and allocation-free from any event loop (HdrHistogram {@link Recorder}); the reporter takes
 * interval histograms and adds them up per window.
 */
public final class KindMetrics {

    private final ViewerKind kind;
    private final Recorder latency = new Recorder(3);
    private final Recorder keyframeLatency = new Recorder(3);
    private final Recorder timeToFirstFrame = new Recorder(3);
    private final Recorder partDelay = new Recorder(3);
    private final LongAdder failures = new LongAdder();
    private Histogram latencyInterval;
    private Histogram keyframeInterval;
    private Histogram ttffInterval;
    private Histogram partDelayInterval;

    public KindMetrics(ViewerKind kind) {
        this.kind = kind;
    }

    public ViewerKind kind() {
        return kind;
    }

    /** Relay latency of one stamped frame (or LL-HLS part), µs. */
    public void recordLatency(long micros) {
        latency.recordValue(micros);
    }

    /**
     * Relay latency of one stamped video frame, µs; a keyframe's is also kept apart, since a keyframe is several times
     * the size of the frames between and every viewer gets it at once.
     */
    public void recordLatency(long micros, boolean keyframe) {
        latency.recordValue(micros);
        if (keyframe) {
            keyframeLatency.recordValue(micros);
        }
    }

    /** Connect-to-first-keyframe time of one viewer, µs. */
    public void recordTimeToFirstFrame(long micros) {
        timeToFirstFrame.recordValue(micros);
    }

    /** LL-HLS: time from receiving the playlist that announced a part to having the whole part, µs. */
    public void recordPartDelay(long micros) {
        partDelay.recordValue(micros);
    }

    /** A viewer failed. */
    public void recordFailure() {
        failures.increment();
    }

    /** Viewers failed so far. */
    public long failures() {
        return failures.sum();
    }

    /** Latency recorded since the last call (the reporter thread only). */
    public synchronized Histogram takeLatency() {
        latencyInterval = latency.getIntervalHistogram(latencyInterval);
        return latencyInterval.copy();
    }

    /** Keyframes' latency recorded since the last call (the reporter thread only). */
    public synchronized Histogram takeKeyframeLatency() {
        keyframeInterval = keyframeLatency.getIntervalHistogram(keyframeInterval);
        return keyframeInterval.copy();
    }

    /** Time to first frame recorded since the last call (the reporter thread only). */
    public synchronized Histogram takeTimeToFirstFrame() {
        ttffInterval = timeToFirstFrame.getIntervalHistogram(ttffInterval);
        return ttffInterval.copy();
    }

    /** Part delivery delays recorded since the last call (the reporter thread only). */
    public synchronized Histogram takePartDelay() {
        partDelayInterval = partDelay.getIntervalHistogram(partDelayInterval);
        return partDelayInterval.copy();
    }
}
