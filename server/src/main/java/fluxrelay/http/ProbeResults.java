package fluxrelay.http;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Results of HTTP bandwidth probes, by probe id, until fetched or expired: the probe's response carries
 * the payload, so its JSON verdict is fetched from a second URL. Bounded: past {@code capacity} entries the
 * oldest expired ones go, and a new probe is refused while none has expired. Thread-safe.
 */
final class ProbeResults {

    /** One probe: its room and its JSON result once known. */
    record Entry(String roomId, long createdNanos, CompletableFuture<String> json) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final int capacity;
    private final long keepNanos;

    ProbeResults(int capacity, long keepNanos) {
        this.capacity = capacity;
        this.keepNanos = keepNanos;
    }

    /** Registers a probe; null when the store is full of live entries. */
    Entry open(String id, String roomId) {
        if (entries.size() >= capacity) {
            evictExpired(System.nanoTime());
            if (entries.size() >= capacity) {
                return null;
            }
        }
        Entry entry = new Entry(roomId, System.nanoTime(), new CompletableFuture<>());
        entries.put(id, entry);
        return entry;
    }

    /** The probe with this id in this room, unless unknown or expired. */
    Entry find(String id, String roomId) {
        Entry entry = entries.get(id);
        if (entry == null || !entry.roomId().equals(roomId)) {
            return null;
        }
        if (System.nanoTime() - entry.createdNanos() > keepNanos) {
            entries.remove(id, entry);
            return null;
        }
        return entry;
    }

    private void evictExpired(long now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            if (now - it.next().createdNanos() > keepNanos) {
                it.remove();
            }
        }
    }
}
