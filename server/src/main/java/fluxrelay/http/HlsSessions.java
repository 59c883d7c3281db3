package fluxrelay.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * HLS clients (address and User-Agent, as {@link HlsBandwidth#clientKey} names them) seen lately, so that a draining
 * server can keep serving the players already playing while it refuses new ones. HLS has no connection to follow:
 * a player is "playing" while it keeps asking within {@code idle}. Bounded: past {@value #MAX_TRACKED} clients, the
 * stale ones are forgotten (and, should all be fresh, every one: then all count as new).
 */
final class HlsSessions {

    static final int MAX_TRACKED = 100_000;

    private final long idleNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();

    HlsSessions(Duration idle) {
        this(idle, System::nanoTime);
    }

    HlsSessions(Duration idle, LongSupplier nanoClock) {
        this.idleNanos = idle.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Notes a request of {@code client}. */
    void seen(String client) {
        long now = nanoClock.getAsLong();
        lastSeen.put(client, now);
        if (lastSeen.size() > MAX_TRACKED) {
            lastSeen.values().removeIf(at -> now - at >= idleNanos);
            if (lastSeen.size() > MAX_TRACKED) {
                lastSeen.clear();
            }
        }
    }

    /** True when {@code client} asked something within the idle time: it is playing. */
    boolean playing(String client) {
        Long at = lastSeen.get(client);
        return at != null && nanoClock.getAsLong() - at < idleNanos;
    }
}
