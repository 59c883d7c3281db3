package fluxrelay.hls;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who waits for a packaging change (blocking playlist reloads and part requests): thousands join and leave at each
 * part, so adding and removing are constant-time (a copy-on-write list copied itself at each leave), and each change is
 * told to them in the order they came, from a snapshot taken once per change (outside the lock: a listener may leave
 * while being told).
 */
final class Listeners<T> {

    private final Set<T> members = new LinkedHashSet<>();

    void add(T listener) {
        synchronized (members) {
            members.add(listener);
        }
    }

    void remove(T listener) {
        synchronized (members) {
            members.remove(listener);
        }
    }

    @SuppressWarnings("unchecked")
    void tell(Consumer<T> what) {
        Object[] snapshot;
        synchronized (members) {
            snapshot = members.toArray();
        }
        for (Object listener : snapshot) {
            what.accept((T) listener);
        }
    }
}
