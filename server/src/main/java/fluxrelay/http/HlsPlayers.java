package fluxrelay.http;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The HLS players of each room now, for the viewer counts of the admin API and the cluster's heartbeats. An HLS
 * player is a series of requests rather than a connection: it counts from its first admitted request until it has
 * asked nothing for the idle time, as {@code hls} or, while it reads the fMP4 low-latency rendition, {@code ll-hls}.
 * Requests another node forwarded are that node's players and are not counted here. Thread-safe.
 */
public final class HlsPlayers {

    /** The counts' protocol names. */
    public static final String HLS = "hls";
    public static final String LL_HLS = "ll-hls";

    private record Key(String roomId, String client) {
    }

    private static final class Seen {
        volatile long lastNanos;
        volatile boolean lowLatency;
    }

    private final long idleNanos;
    private final Map<Key, Seen> players = new ConcurrentHashMap<>();
    private volatile long lastSweepNanos = System.nanoTime();

    /** @param idleSeconds how long after its last request a player still counts */
    public HlsPlayers(long idleSeconds) {
        this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
    }

    /**
     * An admitted request of {@code client} for {@code roomId}.
     *
     * @param lowLatency the request is for the low-latency rendition; a request for the multivariant playlist
     *                   ({@code null}) leaves a known player's kind as it was
     */
    void seen(String roomId, String client, Boolean lowLatency) {
        long now = System.nanoTime();
        Seen seen = players.computeIfAbsent(new Key(roomId, client), k -> new Seen());
        seen.lastNanos = now;
        if (lowLatency != null) {
            seen.lowLatency = lowLatency;
        }
        if (now - lastSweepNanos > idleNanos / 4) {
            lastSweepNanos = now;
            players.values().removeIf(s -> now - s.lastNanos > idleNanos);
        }
    }

    /** Room id to {@code {hls: n, ll-hls: n}}, for rooms with players now. */
    public Map<String, Map<String, Integer>> counts() {
        long now = System.nanoTime();
        Map<String, Map<String, Integer>> out = new HashMap<>();
        for (Iterator<Map.Entry<Key, Seen>> it = players.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Seen> entry = it.next();
            Seen seen = entry.getValue();
            if (now - seen.lastNanos > idleNanos) {
                it.remove();
                continue;
            }
            out.computeIfAbsent(entry.getKey().roomId(), r -> new HashMap<>()).merge(seen.lowLatency ? LL_HLS : HLS, 1, Integer::sum);
        }
        return out;
    }
}
