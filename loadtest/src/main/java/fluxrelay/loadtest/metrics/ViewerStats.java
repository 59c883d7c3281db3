package fluxrelay.loadtest.metrics;

import java.util.concurrent.TimeUnit;

/**
 * What one simulated viewer received: time to first frame, bytes and frames, gaps between arrivals
 * (stalls), and the same counters since the current measurement window began.
 *
 * <p>Written and read only on the viewer's event loop (window snapshots run there too), so the fields need
 * no synchronisation and recording allocates nothing.
 */
public final class ViewerStats {

    /** Where the viewer is in its life. */
    public enum State { CONNECTING, PLAYING, FAILED, CLOSED }

    private final ViewerKind kind;
    private final KindMetrics metrics;
    private final long stallNanos;
    private final boolean arrivalGapStalls;
    private final long connectNanos;
    private final long startMicros;
    private State state = State.CONNECTING;
    private String failure;
    private long firstFrameNanos = -1;
    private long lastArrivalNanos = -1;
    private long bytes;
    private long frames;
    private long stalls;
    private long rebufferingSinceNanos = -1;
    private long windowStartNanos = -1;
    private long windowBytes;
    private long windowFrames;
    private long windowStalls;
    private long windowMaxGapNanos;

    /**
     * @param stallNanos a stall lasts longer than this
     * @param arrivalGapStalls true for a continuous stream (RTMP, HTTP-FLV), where a gap between arrivals is a
     *     stall; false for a segmented one (HLS), whose player model reports rebuffering instead
     * @param connectNanos {@link System#nanoTime()} when the viewer started connecting
     * @param startMicros stamp-clock time at connect: stamps older than this came from a cache
     */
    public ViewerStats(ViewerKind kind, KindMetrics metrics, long stallNanos, boolean arrivalGapStalls, long connectNanos,
                       long startMicros) {
        this.kind = kind;
        this.metrics = metrics;
        this.stallNanos = stallNanos;
        this.arrivalGapStalls = arrivalGapStalls;
        this.connectNanos = connectNanos;
        this.startMicros = startMicros;
    }

    /** Media arrived: {@code size} payload bytes in {@code count} frames; {@code keyframe} if one is among them. */
    public void media(long nowNanos, int size, int count, boolean keyframe) {
        if (arrivalGapStalls && lastArrivalNanos >= 0) {
            long gap = nowNanos - lastArrivalNanos;
            if (gap > stallNanos) {
                stalls++;
                windowStalls++;
            }
            if (windowStartNanos >= 0 && gap > windowMaxGapNanos) {
                windowMaxGapNanos = gap;
            }
        }
        lastArrivalNanos = nowNanos;
        bytes += size;
        windowBytes += size;
        frames += count;
        windowFrames += count;
        if (keyframe && firstFrameNanos < 0) {
            firstFrameNanos = nowNanos;
            state = State.PLAYING;
            metrics.recordTimeToFirstFrame(TimeUnit.NANOSECONDS.toMicros(nowNanos - connectNanos));
        }
    }

    /** The player ran out of media at {@code nowNanos} (segmented streams). */
    public void rebufferStart(long nowNanos) {
        if (rebufferingSinceNanos < 0) {
            rebufferingSinceNanos = nowNanos;
        }
    }

    /** Playback resumed; a pause longer than the stall threshold counts as a stall. */
    public void rebufferEnd(long nowNanos) {
        if (rebufferingSinceNanos >= 0) {
            long pause = nowNanos - rebufferingSinceNanos;
            rebufferingSinceNanos = -1;
            if (pause > stallNanos) {
                stalls++;
                windowStalls++;
            }
            windowMaxGapNanos = Math.max(windowMaxGapNanos, pause);
        }
    }

    /**
     * The latency stamp of a video frame (a keyframe when {@code keyframe}) arrived at {@code nowMicros}; stamps sent
     * before this viewer connected are ignored.
     */
    public void stamp(long stampMicros, long nowMicros, boolean keyframe) {
        if (stampMicros >= startMicros) {
            metrics.recordLatency(Math.max(0, nowMicros - stampMicros), keyframe);
        }
    }

    /**
     * LL-HLS: a part announced by a playlist reload arrived whole, {@code delayMicros} after that playlist arrived;
     * {@code ageMicros} after its last sample was captured by its program date-time (negative: not known). The age is
     * recorded as the part's latency; parts that were already listed when the viewer joined are not passed here.
     */
    public void part(long delayMicros, long ageMicros) {
        metrics.recordPartDelay(Math.max(0, delayMicros));
        if (ageMicros >= 0) {
            metrics.recordLatency(ageMicros);
        }
    }

    /** The viewer gave up (refused, connection lost, protocol error). */
    public void fail(String reason) {
        if (state == State.CONNECTING || state == State.PLAYING) {
            state = State.FAILED;
            failure = reason;
            metrics.recordFailure();
        }
    }

    /** The load generator closed the viewer. */
    public void closed() {
        if (state != State.FAILED) {
            state = State.CLOSED;
        }
    }

    /** Starts a measurement window. */
    public void startWindow(long nowNanos) {
        windowStartNanos = nowNanos;
        windowBytes = 0;
        windowFrames = 0;
        windowStalls = 0;
        windowMaxGapNanos = 0;
    }

    /** The window so far, judged at {@code nowNanos} (a gap still open at the end counts). */
    public WindowSample sampleWindow(long nowNanos) {
        long openGap;
        if (arrivalGapStalls) {
            openGap = nowNanos - (lastArrivalNanos >= 0 ? lastArrivalNanos : Math.max(windowStartNanos, connectNanos));
        } else {
            openGap = rebufferingSinceNanos >= 0 ? nowNanos - rebufferingSinceNanos : 0;
        }
        long maxGap = Math.max(windowMaxGapNanos, openGap);
        boolean stalled = windowStalls > 0 || maxGap > stallNanos;
        boolean coveredWindow = windowStartNanos >= 0 && firstFrameNanos >= 0 && firstFrameNanos <= windowStartNanos;
        return new WindowSample(kind, state, windowBytes, windowFrames, stalled, coveredWindow, maxGap);
    }

    public ViewerKind kind() {
        return kind;
    }

    public State state() {
        return state;
    }

    /** Why the viewer failed, or null. */
    public String failure() {
        return failure;
    }

    public long bytes() {
        return bytes;
    }

    public long frames() {
        return frames;
    }

    public long stalls() {
        return stalls;
    }
}
