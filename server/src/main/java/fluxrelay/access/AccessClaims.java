package fluxrelay.access;

import java.time.Instant;

/**
 * What a valid access token says.
 *
 * @param room the room id it was signed for
 * @param expires when it stops admitting
 * @param attendee the platform's attendee id, or null when the token names none (it cannot be revoked then)
 * @param address the client address it is bound to, or null when unbound
 */
public record AccessClaims(String room, Instant expires, String attendee, String address) {
}
