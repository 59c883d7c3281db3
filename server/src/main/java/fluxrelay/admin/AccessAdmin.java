package fluxrelay.admin;

import fluxrelay.access.Revocations;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation of attendees behind the admin API ({@code /api/access/revocations}): a revoked attendee's tokens are
 * refused from the next request on and its RTMP and HTTP-FLV viewers are disconnected at once. A single node holds
 * revocations in memory (a restart forgets them); a cluster node stores them through its {@link RevocationStore},
 * which every node applies within a round trip and a restarted node reads again.
 */
public final class AccessAdmin {

    /** Longest attendee id accepted. */
    static final int MAX_ATTENDEE_LENGTH = 256;
    private static final Logger log = LoggerFactory.getLogger(AccessAdmin.class);

    private final Revocations revocations;
    private final RevocationStore shared;
    private final Clock clock;

    /** A single node's: revocations in memory. */
    public AccessAdmin(Revocations revocations) {
        this(revocations, null, Clock.systemUTC());
    }

    /**
     * @param revocations this node's list (a cluster node's copy of the shared one)
     * @param shared the cluster's store, or null on a single node
     */
    public AccessAdmin(Revocations revocations, RevocationStore shared, Clock clock) {
        this.revocations = revocations;
        this.shared = shared;
        this.clock = clock;
    }

    /**
     * Revokes an attendee; {@code caller} is who asked, for the log.
     *
     * @param until when the attendee's last token expires (Unix seconds), or null: how long a cluster keeps the
     *              revocation (a single node keeps it until restarted)
     */
    public CompletableFuture<Map<String, Object>> revoke(String attendee, Long until, String caller) {
        check(attendee);
        Instant now = clock.instant();
        Instant end = until == null ? null : Instant.ofEpochSecond(until);
        if (end != null && !end.isAfter(now)) {
            throw AdminException.invalid("until", "until is past: tokens that expired then are refused already");
        }
        if (!revocations.hasRoomFor(attendee)) {
            throw AdminException.conflict("attendee", "the server holds as many revocations as relay.access.max-revocations "
                    + "allows: lift some first");
        }
        CompletableFuture<Void> stored = shared == null ? CompletableFuture.completedFuture(null) : shared.revoke(attendee, now, end);
        return stored.thenApply(v -> {
            revocations.revoke(attendee, now);
            log.info("admin: an attendee's access was revoked by {}", caller);
            return Map.of("revoked", attendee);
        });
    }

    /** Lifts a revocation. */
    public CompletableFuture<Map<String, Object>> restore(String attendee, String caller) {
        check(attendee);
        CompletableFuture<Boolean> stored = shared == null ? CompletableFuture.completedFuture(false) : shared.restore(attendee);
        return stored.thenApply(wasStored -> {
            if (!revocations.restore(attendee) && !wasStored) {
                throw AdminException.notFound("this attendee is not revoked");
            }
            log.info("admin: an attendee's access was restored by {}", caller);
            return Map.of("restored", attendee);
        });
    }

    /** The revoked attendees, oldest first, with when. */
    public Map<String, Object> list() {
        List<Map<String, Object>> out = revocations.list().stream().map(r -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("attendee", r.attendee());
            one.put("revokedAt", r.at().toString());
            return one;
        }).toList();
        return Map.of("revocations", out);
    }

    private static void check(String attendee) {
        if (attendee == null || attendee.isEmpty() || attendee.length() > MAX_ATTENDEE_LENGTH
                || attendee.chars().anyMatch(Character::isISOControl)) {
            throw AdminException.invalid("attendee", "attendee must be 1 to " + MAX_ATTENDEE_LENGTH
                    + " characters without control characters");
        }
    }
}
