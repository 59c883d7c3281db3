package fluxrelay.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Admin requests (or failed token checks) per client IP: a token bucket refilled continuously, so a script that
 * loops (or a token-guessing client) is slowed without hurting normal use. Idle buckets are forgotten.
 */
public final class AdminRateLimiter {

    private static final int MAX_TRACKED = 10_000;

    private final double perSecond;
    private final double burst;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    /**
     * A client may spend a whole minute's budget at once (a script creating 200 rooms in a row is within
     * "600 a minute"), then gets one request back every {@code 60 / perMinute} seconds.
     *
     * @param perMinute requests per minute per client IP: the burst, and the sustained rate
     */
    public AdminRateLimiter(int perMinute) {
        this(perMinute, perMinute);
    }

    /**
     * @param perMinute sustained events per minute per client IP
     * @param burst events a client may have at once before the rate applies (at least 1)
     */
    public AdminRateLimiter(int perMinute, double burst) {
        this(perMinute, burst, System::nanoTime);
    }

    /** As above, on the given nanosecond clock (tests). */
    AdminRateLimiter(int perMinute, double burst, LongSupplier nanoClock) {
        this.perSecond = perMinute / 60.0;
        this.burst = Math.max(1, burst);
        this.nanoClock = nanoClock;
    }

    /** Takes one request's token; false when the client is over its rate. */
    public boolean tryAcquire(SocketAddress remote) {
        double[] bucket = refilled(remote);
        synchronized (bucket) {
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                return true;
            }
            return false;
        }
    }

    /** Whole seconds until the client has a token again (0 when it has one now); takes nothing. */
    public long waitSeconds(SocketAddress remote) {
        double[] bucket = refilled(remote);
        synchronized (bucket) {
            return bucket[0] >= 1 ? 0 : (long) Math.ceil((1 - bucket[0]) / perSecond);
        }
    }

    private double[] refilled(SocketAddress remote) {
        String key = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        long now = nanoClock.getAsLong();
        if (buckets.size() > MAX_TRACKED) {
            buckets.clear();
        }
        double[] bucket = buckets.computeIfAbsent(key, k -> new double[] {burst, now});
        synchronized (bucket) {
            double elapsed = (now - (long) bucket[1]) / 1e9;
            if (elapsed > 0) {
                bucket[0] = Math.min(burst, bucket[0] + elapsed * perSecond);
                bucket[1] = now;
            }
        }
        return bucket;
    }
}
