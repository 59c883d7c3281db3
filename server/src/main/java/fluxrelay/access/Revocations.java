package fluxrelay.access;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The attendee ids the platform revoked (admin API): tokens naming one are refused from the next request on, and
 * the listeners (the playback service) disconnect the viewers playing with one. Held in memory: a restart forgets
 * them, which the platform covers by short token lifetimes or by revoking again. Thread-safe.
 */
public final class Revocations {

    /** One revoked attendee and when. */
    public record Revoked(String attendee, Instant at) {
    }

    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final int max;
    private final Clock clock;

    /** @param max most attendees held revoked at once (a bound on memory) */
    public Revocations(int max, Clock clock) {
        this.max = max;
        this.clock = clock;
    }

    /** Calls {@code listener} with each newly revoked attendee id, on the revoking thread. */
    public void onRevoked(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Revokes {@code attendee}; the listeners hear of it even when it already was (its viewers are disconnected again).
     *
     * @return false when the list is full and the attendee was not in it
     */
    public boolean revoke(String attendee) {
        if (!revoked.containsKey(attendee) && revoked.size() >= max) {
            return false;
        }
        revoked.putIfAbsent(attendee, clock.instant());
        listeners.forEach(l -> l.accept(attendee));
        return true;
    }

    /** Lifts a revocation; true when the attendee was revoked. */
    public boolean restore(String attendee) {
        return revoked.remove(attendee) != null;
    }

    /** True when {@code attendee} (non-null) is revoked. */
    public boolean revoked(String attendee) {
        return revoked.containsKey(attendee);
    }

    /** The revoked attendees, oldest first. */
    public List<Revoked> list() {
        return revoked.entrySet().stream().map(e -> new Revoked(e.getKey(), e.getValue()))
                .sorted(java.util.Comparator.comparing(Revoked::at).thenComparing(Revoked::attendee)).toList();
    }
}
