/**
 * Viewer access tokens: the rooms that need one ({@code viewer-access = token}), the token format the platform
 * signs per attendee (HMAC-SHA256 over room, expiry, optional attendee id and client address, with shared secrets
 * several of which may be valid at once), revoked attendees, and the refusals with their reasons.
 *
 * <p>Protocol-neutral: the playback service asks it about a request; adapters never do. The JDK (and its crypto)
 * only.
 */
package fluxrelay.access;
