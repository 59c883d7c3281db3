package fluxrelay.config;

import java.util.List;
import java.util.Locale;

/**
 * Viewer access tokens ({@code relay.access}).
 *
 * @param defaultAccess the mode of a room that sets no {@code viewer-access}
 * @param secrets the accepted HMAC-SHA256 secrets, each at least {@link #MIN_SECRET_LENGTH} characters; empty when
 *                no room needs a token; the first signs (the {@code SignToken} command and tests)
 * @param tokenParameter the viewer URL query parameter the token travels in
 * @param maxRevocations most attendees held revoked at once
 */
public record AccessConfig(Mode defaultAccess, List<String> secrets, String tokenParameter, int maxRevocations) {

    /** Shortest accepted secret: HMAC-SHA256 keys shorter than this are guessable. */
    public static final int MIN_SECRET_LENGTH = 32;

    /** Who may watch ({@code default}, a room's {@code viewer-access}). */
    public enum Mode {
        /** Anyone who knows the room id. */
        OPEN,
        /** Holders of a valid token only. */
        TOKEN;

        /** The configuration spelling. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AccessConfig {
        secrets = List.copyOf(secrets);
    }

    /** Everyone may watch every room: no secret. */
    public static AccessConfig open() {
        return new AccessConfig(Mode.OPEN, List.of(), "access", 100_000);
    }

    @Override
    public String toString() {
        // The secrets sign tokens: never printed.
        return "AccessConfig[default=" + defaultAccess.label() + ", secrets=" + secrets.size() + ", tokenParameter="
                + tokenParameter + ", maxRevocations=" + maxRevocations + "]";
    }
}
