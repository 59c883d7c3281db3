package fluxrelay.ingest;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows stream-key guessing: an address may have at most {@code maxFailures} publishes refused or still being
 * decided within {@code window}; past that it is refused outright until the window has passed.
 *
 * <p>An attempt is counted when it starts ({@link #tryStart}), before the decision, and given back when the
 * publish is admitted ({@link #admitted}): so many concurrent attempts from one address cannot all slip through
 * while the first decisions are still running. Memory is bounded; when too many addresses are tracked the
 * oldest windows are forgotten.
 */
public final class PublishAttemptLimiter {

    private static final int MAX_TRACKED = 50_000;

    private record Window(long startNanos, int attempts) {
    }

    private final int maxFailures;
    private final long windowNanos;
    private final Map<InetAddress, Window> windows = new ConcurrentHashMap<>();

    /**
     * @param maxFailures refused publishes allowed per address per window; 0 disables the limiter
     * @param window the window
     */
    public PublishAttemptLimiter(int maxFailures, Duration window) {
        this.maxFailures = maxFailures;
        this.windowNanos = window.toNanos();
    }

    /**
     * Counts a publish attempt from this address; false (nothing counted) when the address has used up its
     * attempts in the current window and must wait.
     */
    public boolean tryStart(InetAddress address) {
        if (maxFailures <= 0 || address == null) {
            return true;
        }
        forgetIfCrowded();
        boolean[] allowed = new boolean[1];
        long now = System.nanoTime();
        windows.compute(address, (k, w) -> {
            if (w == null || now - w.startNanos() >= windowNanos) {
                allowed[0] = true;
                return new Window(now, 1);
            }
            if (w.attempts() >= maxFailures) {
                return w;
            }
            allowed[0] = true;
            return new Window(w.startNanos(), w.attempts() + 1);
        });
        return allowed[0];
    }

    /** The attempt counted by {@link #tryStart} was admitted: it is not a failure and is given back. */
    public void admitted(InetAddress address) {
        if (maxFailures <= 0 || address == null) {
            return;
        }
        windows.computeIfPresent(address, (k, w) -> w.attempts() <= 1 ? null : new Window(w.startNanos(), w.attempts() - 1));
    }

    /** True when this address must wait before trying again. */
    public boolean blocked(InetAddress address) {
        if (maxFailures <= 0 || address == null) {
            return false;
        }
        Window w = windows.get(address);
        return w != null && System.nanoTime() - w.startNanos() < windowNanos && w.attempts() >= maxFailures;
    }

    private void forgetIfCrowded() {
        if (windows.size() > MAX_TRACKED) {
            long now = System.nanoTime();
            windows.entrySet().removeIf(e -> now - e.getValue().startNanos() >= windowNanos);
            if (windows.size() > MAX_TRACKED) {
                windows.clear();
            }
        }
    }
}
