package fluxrelay.rooms;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows stream-key guessing: an address whose publishes were refused {@code maxFailures} times within
 * {@code window} is refused outright until the window has passed. Memory is bounded; when too many
 * addresses are tracked the oldest windows are forgotten.
 */
public final class PublishAttemptLimiter {

    private static final int MAX_TRACKED = 50_000;

    private record Window(long startNanos, int failures) {
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

    /** True when this address must wait before trying again. */
    public boolean blocked(InetAddress address) {
        if (maxFailures <= 0 || address == null) {
            return false;
        }
        Window w = windows.get(address);
        return w != null && System.nanoTime() - w.startNanos() < windowNanos && w.failures() >= maxFailures;
    }

    /** Records a refused publish from this address. */
    public void failed(InetAddress address) {
        if (maxFailures <= 0 || address == null) {
            return;
        }
        if (windows.size() > MAX_TRACKED) {
            long now = System.nanoTime();
            windows.entrySet().removeIf(e -> now - e.getValue().startNanos() >= windowNanos);
            if (windows.size() > MAX_TRACKED) {
                windows.clear();
            }
        }
        long now = System.nanoTime();
        windows.compute(address, (k, w) -> w == null || now - w.startNanos() >= windowNanos ? new Window(now, 1)
                : new Window(w.startNanos(), w.failures() + 1));
    }
}
