package fluxrelay.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Admin requests per client IP: a token bucket refilled continuously, so a script that loops (or a
 * token-guessing client) is slowed without hurting normal use. Idle buckets are forgotten.
 */
public final class AdminRateLimiter {

    private static final int MAX_TRACKED = 10_000;

    private final double perSecond;
    private final double burst;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    /**
     * @param perMinute sustained requests per minute per client IP
     */
    public AdminRateLimiter(int perMinute) {
        this.perSecond = perMinute / 60.0;
        this.burst = Math.max(1, perMinute / 6.0);
    }

    /** Takes one request's token; false when the client is over its rate. */
    public boolean tryAcquire(SocketAddress remote) {
        String key = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        long now = System.nanoTime();
        if (buckets.size() > MAX_TRACKED) {
            buckets.clear();
        }
        double[] bucket = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
        synchronized (bucket) {
            double elapsed = (now - (long) bucket[1]) / 1e9;
            bucket[0] = Math.min(burst, bucket[0] + elapsed * perSecond);
            bucket[1] = now;
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                return true;
            }
            return false;
        }
    }
}
