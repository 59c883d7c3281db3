package fluxrelay.egress;

import fluxrelay.stream.DropCounters;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Everything sent to viewers of one protocol, summed over all of them since start: what the egress
 * metrics read. Resolved once per protocol and handed to each viewer; cheap to add to from any loop.
 */
public final class EgressCounters {

    private final String protocol;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder framesInStep = new LongAdder();
    private final LongAdder viewersJoined = new LongAdder();
    private final DropCounters drops = new DropCounters();
    private volatile LongConsumer firstFrame = nanos -> { };

    public EgressCounters(String protocol) {
        this.protocol = protocol;
    }

    public String protocol() {
        return protocol;
    }

    void sent(int size) {
        bytes.add(size);
        frames.increment();
    }

    /** {@code count} frames of {@code size} bytes in all, taken for viewers in step and counted at once. */
    void sentInStep(long count, long size) {
        bytes.add(size);
        frames.add(count);
        framesInStep.add(count);
    }

    void joined() {
        viewersJoined.increment();
    }

    void firstFrame(long nanos) {
        firstFrame.accept(nanos);
    }

    /**
     * Where each viewer's time to first frame goes (nanoseconds from the connection to its first keyframe handed to
     * the socket, for viewers that joined a live room); the metrics set it once.
     */
    public void timeToFirstFrameTo(LongConsumer sink) {
        firstFrame = sink;
    }

    /** Payload bytes handed to viewers' connections. */
    public long bytes() {
        return bytes.sum();
    }

    /** Frames handed to viewers' connections. */
    public long frames() {
        return frames.sum();
    }

    /**
     * Of {@link #frames}, those taken once for a loop's viewers in step and handed to each only at its flush (merged
     * writes; see {@code ChannelViewer.InStep}).
     */
    public long framesInStep() {
        return framesInStep.sum();
    }

    /** Viewers that ever joined. */

    public long viewersJoined() {
        return viewersJoined.sum();
    }

    /** Frames dropped for all viewers, by reason. */
    public DropCounters drops() {
        return drops;
    }
}
