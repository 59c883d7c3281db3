package fluxrelay.admin;

import fluxrelay.access.Revocations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revocation of attendees behind the admin API ({@code /api/access/revocations}): a revoked attendee's tokens are
 * refused from the next request on and its RTMP and HTTP-FLV viewers are disconnected at once. Revocations are held
 * in memory by each node: a cluster's platform revokes on every node, and a restart forgets them.
 */
public final class AccessAdmin {

    /** Longest attendee id accepted. */
    static final int MAX_ATTENDEE_LENGTH = 256;
    private static final Logger log = LoggerFactory.getLogger(AccessAdmin.class);

    private final Revocations revocations;

    public AccessAdmin(Revocations revocations) {
        this.revocations = revocations;
    }

    /** Revokes an attendee; {@code caller} is who asked, for the log. */
    public Map<String, Object> revoke(String attendee, String caller) {
        check(attendee);
        if (!revocations.revoke(attendee)) {
            throw AdminException.conflict("attendee", "the server holds as many revocations as relay.access.max-revocations "
                    + "allows: lift some first");
        }
        log.info("admin: an attendee's access was revoked by {}", caller);
        return Map.of("revoked", attendee);
    }

    /** Lifts a revocation. */
    public Map<String, Object> restore(String attendee, String caller) {
        check(attendee);
        if (!revocations.restore(attendee)) {
            throw AdminException.notFound("this attendee is not revoked");
        }
        log.info("admin: an attendee's access was restored by {}", caller);
        return Map.of("restored", attendee);
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
