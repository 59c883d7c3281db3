package fluxrelay.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-room access modes, revocations and refusal counts. */
class AccessPolicyTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0001";
    private final Clock clock = Clock.fixed(Instant.parse("2026-05-04T10:00:00Z"), ZoneOffset.UTC);
    private final AccessTokens tokens = new AccessTokens(List.of(SECRET));
    private final Revocations revocations = new Revocations(2, clock);
    private final AccessPolicy policy = new AccessPolicy(ViewerAccess.OPEN, tokens, revocations, "access", clock);

    private String token(String room, String attendee) {
        return tokens.sign(room, clock.instant().plus(Duration.ofHours(1)), attendee, null);
    }

    @Test
    void anOpenRoomAdmitsAnyoneAndATokenRoomOnlyTokenHolders() {
        assertNull(assertInstanceOf(AccessCheck.Granted.class, policy.check("keynote", null, null)).claims());
        policy.set("keynote", ViewerAccess.TOKEN);
        assertEquals(AccessRefusal.MISSING, assertInstanceOf(AccessCheck.Denied.class, policy.check("keynote", null, null)).reason());
        assertEquals("A-1", assertInstanceOf(AccessCheck.Granted.class, policy.check("keynote", token("keynote", "A-1"), null))
                .claims().attendee());
        policy.set("keynote", null);
        assertEquals(ViewerAccess.OPEN, policy.access("keynote"));
    }

    @Test
    void theDefaultAppliesToRoomsThatSetNone() {
        AccessPolicy closed = new AccessPolicy(ViewerAccess.TOKEN, tokens, revocations, "access", clock);
        assertInstanceOf(AccessCheck.Denied.class, closed.check("any", null, null));
        closed.set("demo", ViewerAccess.OPEN);
        assertInstanceOf(AccessCheck.Granted.class, closed.check("demo", null, null));
    }

    @Test
    void aRevokedAttendeeIsRefusedUntilRestoredAndListenersHearOfIt() {
        policy.set("keynote", ViewerAccess.TOKEN);
        List<String> heard = new ArrayList<>();
        revocations.onRevoked(heard::add);
        assertTrue(revocations.revoke("A-1"));
        assertEquals(List.of("A-1"), heard);
        assertEquals(AccessRefusal.REVOKED, assertInstanceOf(AccessCheck.Denied.class,
                policy.check("keynote", token("keynote", "A-1"), null)).reason());
        assertInstanceOf(AccessCheck.Granted.class, policy.check("keynote", token("keynote", "A-2"), null));
        assertTrue(revocations.restore("A-1"));
        assertFalse(revocations.restore("A-1"));
        assertInstanceOf(AccessCheck.Granted.class, policy.check("keynote", token("keynote", "A-1"), null));
    }

    @Test
    void revocationsAreBounded() {
        assertTrue(revocations.revoke("A-1"));
        assertTrue(revocations.revoke("A-2"));
        assertFalse(revocations.revoke("A-3"));
        assertTrue(revocations.revoke("A-1"), "revoking again is not a new entry");
        assertEquals(List.of("A-1", "A-2"), revocations.list().stream().map(Revocations.Revoked::attendee).toList());
    }

    @Test
    void aTokenRoomWithoutSecretAdmitsNobody() {
        AccessPolicy noSecret = new AccessPolicy(ViewerAccess.OPEN, null, revocations, "access", clock);
        noSecret.set("keynote", ViewerAccess.TOKEN);
        assertFalse(noSecret.tokensEnabled());
        assertEquals(AccessRefusal.BAD_SIGNATURE, assertInstanceOf(AccessCheck.Denied.class,
                noSecret.check("keynote", token("keynote", "A-1"), null)).reason());
    }

    @Test
    void refusalsAreCountedByReason() {
        policy.set("keynote", ViewerAccess.TOKEN);
        policy.check("keynote", null, null);
        policy.check("keynote", null, null);
        policy.check("keynote", token("other", null), null);
        policy.check("keynote", token("keynote", null), null);
        assertEquals(2, policy.refusals(AccessRefusal.MISSING));
        assertEquals(1, policy.refusals(AccessRefusal.OTHER_ROOM));
        assertEquals(0, policy.refusals(AccessRefusal.EXPIRED));
    }
}
