package fluxrelay.stream;

import java.util.concurrent.atomic.LongAdder;

/**
 * A room's cumulative figures since the server started, across publishes: what monotonic counters
 * (metrics) are built on. Written under the stream's lock, read from anywhere.
 */
public final class StreamTotals {

    private final LongAdder videoBytes = new LongAdder();
    private final LongAdder audioBytes = new LongAdder();
    private final LongAdder videoFrames = new LongAdder();
    private final LongAdder audioFrames = new LongAdder();
    private final LongAdder publishes = new LongAdder();

    void frame(boolean video, int size) {
        if (video) {
            videoBytes.add(size);
            videoFrames.increment();
        } else {
            audioBytes.add(size);
            audioFrames.increment();
        }
    }

    void publish() {
        publishes.increment();
    }

    public long videoBytes() {
        return videoBytes.sum();
    }

    public long audioBytes() {
        return audioBytes.sum();
    }

    public long videoFrames() {
        return videoFrames.sum();
    }

    public long audioFrames() {
        return audioFrames.sum();
    }

    /** Publishes started in the room. */
    public long publishes() {
        return publishes.sum();
    }
}
