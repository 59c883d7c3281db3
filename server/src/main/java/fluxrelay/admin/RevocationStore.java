package fluxrelay.admin;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Where a cluster keeps its attendee revocations so that every node applies them and a restarted node still knows
 * them. Completes with a 503 {@link AdminException} when the store cannot be reached (nothing changed then).
 */
public interface RevocationStore {

    /**
     * Stores a revocation made {@code at} and announces it to every node (this one included).
     *
     * @param until when it may be forgotten (the attendee's tokens have expired), or null for the store's default
     */
    CompletableFuture<Void> revoke(String attendee, Instant at, Instant until);

    /** Lifts a revocation on every node; completes with false when it was not stored. */
    CompletableFuture<Boolean> restore(String attendee);
}
