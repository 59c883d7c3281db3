package fluxrelay.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Frames and bytes dropped for one viewer, by reason; written by the viewer's thread, read by anyone. */
public final class DropCounters implements DropSink {

    private static final DropReason[] REASONS = DropReason.values();
    private final AtomicLongArray frames = new AtomicLongArray(REASONS.length);
    private final AtomicLongArray bytes = new AtomicLongArray(REASONS.length);

    @Override
    public void dropped(DropReason reason, int size) {
        frames.incrementAndGet(reason.ordinal());
        bytes.addAndGet(reason.ordinal(), size);
    }

    /** Frames dropped for a reason. */
    public long frames(DropReason reason) {
        return frames.get(reason.ordinal());
    }

    /** Bytes dropped for a reason. */
    public long bytes(DropReason reason) {
        return bytes.get(reason.ordinal());
    }

    /** Frames dropped for any reason. */
    public long totalFrames() {
        long total = 0;
        for (DropReason reason : REASONS) {
            total += frames(reason);
        }
        return total;
    }

    /** Frames dropped by reason, for logs. */
    public Map<DropReason, Long> byReason() {
        Map<DropReason, Long> out = new EnumMap<>(DropReason.class);
        for (DropReason reason : REASONS) {
            out.put(reason, frames(reason));
        }
        return out;
    }
}
