package fluxrelay.bandwidth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived signed tokens that carry a probe's verdict into a playback URL: the room, an expiry and the
 * measured rate, MACed with HMAC-SHA256 under the server's secret. A token is valid for one room only, until
 * it expires; it proves the server measured that rate for whoever holds it.
 *
 * <p>Format: {@code base64url(room|expiry-epoch-seconds|measured-bit/s|method) "." base64url(mac)}, no padding.
 * Thread-safe.
 */
public final class ProbeTokens {

    /** What a valid token says. */
    public record Claims(String roomId, long expiresEpochSeconds, long measuredBitsPerSecond, MeasurementMethod method) {

        /** The measurement the token carries (rate and method only). */
        public Measurement measurement() {
            return new Measurement(measuredBitsPerSecond, 0, 0, -1, method, true);
        }
    }

    private static final String ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_LENGTH = 512;

    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    /**
     * @param secret the server secret, at least 16 bytes
     * @param ttl how long a token stays valid
     * @param clock the wall clock expiries are read against
     */
    public ProbeTokens(byte[] secret, Duration ttl, Clock clock) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("the token secret needs at least 16 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), ALGORITHM);
        this.ttl = ttl;
        this.clock = clock;
    }

    /** 32 random bytes from a strong source: the secret when the configuration gives none. */
    public static byte[] randomSecret() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    /** How long tokens stay valid. */
    public Duration ttl() {
        return ttl;
    }

    /** A token for {@code roomId} carrying a measured rate and how it was measured. */
    public String issue(String roomId, long measuredBitsPerSecond, MeasurementMethod method) {
        return issue(roomId, measuredBitsPerSecond, method, ttl);
    }

    /**
     * A token valid for {@code validFor} instead of the usual lifetime: HLS playback writes one into the URIs of
     * the playlists it answers, which a player reloads for as long as it plays.
     */
    public String issue(String roomId, long measuredBitsPerSecond, MeasurementMethod method, Duration validFor) {
        long expires = clock.instant().plus(validFor).getEpochSecond();
        byte[] claims = (roomId + "|" + expires + "|" + measuredBitsPerSecond + "|" + method.name())
                .getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(claims) + "." + ENCODER.encodeToString(mac(claims));
    }

    /** The token's claims when it is well-formed, signed by this server, for {@code roomId} and not expired. */
    public Optional<Claims> verify(String token, String roomId) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        byte[] claims;
        byte[] mac;
        try {
            claims = DECODER.decode(token.substring(0, dot));
            mac = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac, mac(claims))) {
            return Optional.empty();
        }
        String[] parts = new String(claims, StandardCharsets.UTF_8).split("\\|", -1);
        if (parts.length != 4 || !parts[0].equals(roomId)) {
            return Optional.empty();
        }
        try {
            long expires = Long.parseLong(parts[1]);
            long measured = Long.parseLong(parts[2]);
            if (clock.instant().getEpochSecond() >= expires) {
                return Optional.empty();
            }
            return Optional.of(new Claims(parts[0], expires, measured, MeasurementMethod.valueOf(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
