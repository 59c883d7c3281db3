package fluxrelay.http;

import fluxrelay.access.AccessCheck;
import fluxrelay.access.AccessTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Signed replay URLs: {@code /replay/{id}/index.m3u8?token=...}, the token an access token (relay.access.secrets)
 * for the pseudo-room {@code replay/{id}} with an expiry, so a link opens one recording until it expires and no live
 * room (room ids never hold '/').
 */
public final class ReplayLinks {

    static final String PARAMETER = "token";

    private final AccessTokens tokens;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param tokens signs and checks the tokens; null when no secret is configured (no replay links then)
     * @param ttl how long a link opens its recording
     */
    public ReplayLinks(AccessTokens tokens, Duration ttl, Clock clock) {
        this.tokens = tokens;
        this.ttl = ttl;
        this.clock = clock;
    }

    boolean enabled() {
        return tokens != null;
    }

    /** A link's expiry, if made now. */
    Instant expiry() {
        return clock.instant().plus(ttl);
    }

    /** The query that opens recording {@code id} until {@code expires}: {@code ?token=...}. */
    String query(String id, Instant expires) {
        return "?" + PARAMETER + "=" + URLEncoder.encode(tokens.sign("replay/" + id, expires, null, null), StandardCharsets.UTF_8);
    }

    /** True when {@code token} opens recording {@code id} now. */
    boolean opens(String token, String id) {
        return tokens != null && token != null
                && tokens.verify(token, "replay/" + id, null, clock.instant()) instanceof AccessCheck.Granted;
    }
}
