package fluxrelay.bandwidth;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Bandwidth watches of HLS clients, which arrive as separate segment requests rather than one connection: a
 * watch per room and client key (the HLS route's session id, or address and user agent), fed one segment
 * response at a time and forgotten after {@code idleNanos} without a request. Thread-safe; each watch is
 * fed under its own lock since one client's requests may arrive on several connections.
 */
public final class SegmentClients {

    private record Key(String roomId, String client) {
    }

    private static final class Entry {
        final ViewerBandwidth watch;
        volatile long lastNanos;

        Entry(ViewerBandwidth watch, long now) {
            this.watch = watch;
            this.lastNanos = now;
        }
    }

    private final BandwidthRegistry registry;
    private final long idleNanos;
    private final Map<Key, Entry> clients = new ConcurrentHashMap<>();
    private volatile long lastSweepNanos = System.nanoTime();

    /** Watches forgotten after {@code idleSeconds} without a segment (a few target durations). */
    public SegmentClients(BandwidthRegistry registry, long idleSeconds) {
        this.registry = registry;
        this.idleNanos = TimeUnit.SECONDS.toNanos(idleSeconds);
    }

    /**
     * One segment response delivered to {@code client} of {@code roomId}: {@code bytes} in {@code nanos}, from
     * the first byte written to the last byte delivered (or written, without kernel figures). Returns the
     * verdict when this segment flagged the client (the route logs it and, under enforce, refuses its next
     * requests with 403), else null. Rooms with policy off are not watched.
     */
    public BandwidthVerdict delivered(String roomId, String client, long bytes, long nanos) {
        return delivered(roomId, client, bytes, nanos, null);
    }

    /**
     * As {@link #delivered(String, String, long, long)}, the response judged against {@code against} when not null: the
     * need of the quality rendition it is a segment of (a client is one watch in its room whichever variant it fetches).
     */
    public BandwidthVerdict delivered(String roomId, String client, long bytes, long nanos, BandwidthRequirement against) {
        long now = System.nanoTime();
        sweep(now);
        Key key = new Key(roomId, client);
        Entry entry = clients.get(key);
        if (entry == null) {
            ViewerBandwidth watch = registry.watch(roomId, client);
            if (watch == null) {
                return null;
            }
            Entry fresh = new Entry(watch, now);
            entry = clients.putIfAbsent(key, fresh);
            if (entry == null) {
                entry = fresh;
            } else {
                watch.close();
            }
        }
        entry.lastNanos = now;
        synchronized (entry) {
            return entry.watch.segment(bytes, nanos, against);
        }
    }

    /** True while {@code client} of {@code roomId} is flagged as persistently below. */
    public boolean flagged(String roomId, String client) {
        Entry entry = clients.get(new Key(roomId, client));
        return entry != null && entry.watch.flagged();
    }

    /** The verdict that flagged {@code client} of {@code roomId}, or null while it is not flagged. */
    public BandwidthVerdict flaggedVerdict(String roomId, String client) {
        Entry entry = clients.get(new Key(roomId, client));
        if (entry == null) {
            return null;
        }
        synchronized (entry) {
            return entry.watch.flagged() ? entry.watch.flaggedVerdict() : null;
        }
    }

    /**
     * Forgets clients idle for longer than the idle time now, so a room's counts fall when its clients leave
     * even if no other client requests a segment (the composition root calls it from a timer).
     */
    public void expire() {
        removeIdle(System.nanoTime());
    }

    /** Clients watched now. */
    public int size() {
        return clients.size();
    }

    private void sweep(long now) {
        if (now - lastSweepNanos < idleNanos / 4) {
            return;
        }
        removeIdle(now);
    }

    private void removeIdle(long now) {
        lastSweepNanos = now;
        for (Iterator<Entry> it = clients.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (now - entry.lastNanos > idleNanos) {
                it.remove();
                synchronized (entry) {
                    entry.watch.close();
                }
            }
        }
    }
}
