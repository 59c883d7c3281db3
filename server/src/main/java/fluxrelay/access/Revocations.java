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
 * the listeners (the playback service) disconnect the viewers playing with one. Held in memory: on a single node a
 * restart forgets them, which the platform covers by short token lifetimes or by revoking again; a cluster node keeps
 * here its copy of the cluster's shared list ({@link #replaceAll}, and each change as it is announced). Thread-safe.
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
        return revoke(attendee, clock.instant());
    }

    /** As {@link #revoke(String)}, revoked {@code at} (a revocation made on another node). */
    public boolean revoke(String attendee, Instant at) {
        if (!revoked.containsKey(attendee) && revoked.size() >= max) {
            return false;
        }
        revoked.putIfAbsent(attendee, at);
        listeners.forEach(l -> l.accept(attendee));
        return true;
    }

    /** True when {@code attendee} could be revoked now: it is revoked already, or the list has room. */
    public boolean hasRoomFor(String attendee) {
        return revoked.containsKey(attendee) || revoked.size() < max;
    }

    /**
     * Makes the revoked attendees exactly {@code all} (the cluster's list, read again after a reconnect): the ones
     * no longer in it are lifted, the listeners hear of the new ones; past the maximum the rest are left out.
     */
    public void replaceAll(Map<String, Instant> all) {
        revoked.keySet().removeIf(attendee -> !all.containsKey(attendee));
        all.forEach((attendee, at) -> {
            if (!revoked.containsKey(attendee)) {
                revoke(attendee, at);
            }
        });
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
