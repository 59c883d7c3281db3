package fluxrelay.hls;

import fluxrelay.hls.fmp4.Sample;
import fluxrelay.hls.fmp4.TrackRun;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * One track's samples waiting for the next movie fragment: their bytes copied into one buffer and their
 * decode times, from which durations follow (the last sample lasts as long as the one before it).
 */
final class SampleQueue implements AutoCloseable {

    private record Pending(long decodeTime, int compositionOffset, boolean sync, int size) {
    }

    private final ByteBufAllocator allocator;
    private final List<Pending> pending = new ArrayList<>();
    private ByteBuf data;
    private long lastDuration;

    /** Takes no buffer until the first sample. */
    SampleQueue(ByteBufAllocator allocator) {
        this.allocator = allocator;
    }

    /** Copies {@code length} bytes of {@code src} from absolute index {@code index}. */
    void add(long decodeTime, long compositionOffset, boolean sync, ByteBuf src, int index, int length) {
        if (data == null) {
            data = allocator.buffer(64 * 1024);
        }
        data.writeBytes(src, index, length);
        pending.add(new Pending(decodeTime, (int) compositionOffset, sync, length));
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /**
     * The held samples as a run over this queue's buffer (valid until {@link #clear}).
     *
     * @param fixedDuration every sample's duration, or -1 to take them from the decode times
     */
    TrackRun run(int trackId, long fixedDuration) {
        List<Sample> samples = new ArrayList<>(pending.size());
        for (int i = 0; i < pending.size(); i++) {
            Pending p = pending.get(i);
            long duration;
            if (fixedDuration >= 0) {
                duration = fixedDuration;
            } else if (i + 1 < pending.size()) {
                duration = Math.max(0, pending.get(i + 1).decodeTime - p.decodeTime);
                lastDuration = duration;
            } else {
                duration = lastDuration > 0 ? lastDuration : 3000;
            }
            samples.add(new Sample((int) duration, p.size, p.sync, p.compositionOffset));
        }
        return new TrackRun(trackId, pending.get(0).decodeTime, samples, data);
    }

    void clear() {
        pending.clear();
        if (data != null) {
            data.clear();
        }
    }

    /** Drops the held samples and gives the buffer back (the stream stopped); the next sample takes one again. */
    void release() {
        pending.clear();
        if (data != null) {
            data.release();
            data = null;
        }
    }

    @Override
    public void close() {
        release();
    }
}
