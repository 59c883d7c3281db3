package fluxrelay.access;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Viewer access of every room: each room's mode (its own, else the server default), the token checks of
 * {@link ViewerAccess#TOKEN} rooms, the revoked attendees, and the refusals counted by reason. Thread-safe; rooms
 * are named by their public id.
 */
public final class AccessPolicy {

    private final ViewerAccess defaultAccess;
    private final AccessTokens tokens;
    private final Revocations revocations;
    private final String parameter;
    private final Clock clock;
    private final Map<String, ViewerAccess> rooms = new ConcurrentHashMap<>();
    private final Map<AccessRefusal, LongAdder> refusals = new EnumMap<>(AccessRefusal.class);

    /** Every room open, whatever it asks (no secret to check tokens with); for tests and servers without access. */
    public static AccessPolicy open() {
        return new AccessPolicy(ViewerAccess.OPEN, null, new Revocations(0, Clock.systemUTC()), "access", Clock.systemUTC());
    }

    /**
     * @param defaultAccess the mode of a room that sets none
     * @param tokens the token codec, or null when no secret is configured (a {@code token} room then admits nobody)
     * @param revocations the revoked attendees
     * @param parameter the viewer URL query parameter tokens travel in
     * @param clock expiry is judged on it
     */
    public AccessPolicy(ViewerAccess defaultAccess, AccessTokens tokens, Revocations revocations, String parameter, Clock clock) {
        this.defaultAccess = defaultAccess;
        this.tokens = tokens;
        this.revocations = revocations;
        this.parameter = parameter;
        this.clock = clock;
        for (AccessRefusal reason : AccessRefusal.values()) {
            refusals.put(reason, new LongAdder());
        }
    }

    /** The query parameter access tokens travel in. */
    public String parameter() {
        return parameter;
    }

    /** True when a room may be set to {@link ViewerAccess#TOKEN} (a secret is configured). */
    public boolean tokensEnabled() {
        return tokens != null;
    }

    /** The revoked attendees. */
    public Revocations revocations() {
        return revocations;
    }

    /** Sets a room's own mode; null returns it to the server default. */
    public void set(String roomId, ViewerAccess access) {
        if (access == null) {
            rooms.remove(roomId);
        } else {
            rooms.put(roomId, access);
        }
    }

    /** The room's own mode, or null when it follows the default. */
    public ViewerAccess own(String roomId) {
        return rooms.get(roomId);
    }

    /** The mode in force for a room. */
    public ViewerAccess access(String roomId) {
        return rooms.getOrDefault(roomId, defaultAccess);
    }

    /**
     * Decides whether a play of {@code roomId} may go on, and counts a refusal. Never throws for a client's input.
     *
     * @param token the token the URL carried, or null
     * @param address the client's IP address as text, or null when unknown
     */
    public AccessCheck check(String roomId, String token, String address) {
        if (access(roomId) == ViewerAccess.OPEN) {
            return new AccessCheck.Granted(null);
        }
        AccessCheck check = tokens != null ? tokens.verify(token, roomId, address, clock.instant())
                : new AccessCheck.Denied(token == null || token.isEmpty() ? AccessRefusal.MISSING : AccessRefusal.BAD_SIGNATURE);
        if (check instanceof AccessCheck.Granted granted && granted.claims().attendee() != null
                && revocations.revoked(granted.claims().attendee())) {
            check = new AccessCheck.Denied(AccessRefusal.REVOKED);
        }
        if (check instanceof AccessCheck.Denied denied) {
            refusals.get(denied.reason()).increment();
        }
        return check;
    }

    /** Refusals since start with {@code reason}. */
    public long refusals(AccessRefusal reason) {
        return refusals.get(reason).sum();
    }
}
