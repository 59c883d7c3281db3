package fluxrelay.bandwidth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Probe tokens: valid for their room until they expire, and only as this server signed them. */
class ProbeTokensTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");

    private final ProbeTokens tokens = new ProbeTokens(SECRET, Duration.ofMinutes(2), Clock.fixed(NOW, ZoneOffset.UTC));

    private static ProbeTokens at(Instant instant) {
        return new ProbeTokens(SECRET, Duration.ofMinutes(2), Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void aTokenCarriesItsRoomExpiryRateAndMethod() {
        String token = tokens.issue("keynote", 4_780_000, MeasurementMethod.TCP_ACKS);
        ProbeTokens.Claims claims = tokens.verify(token, "keynote").orElseThrow();
        assertEquals("keynote", claims.roomId());
        assertEquals(NOW.plusSeconds(120).getEpochSecond(), claims.expiresEpochSeconds());
        assertEquals(4_780_000, claims.measuredBitsPerSecond());
        assertEquals(MeasurementMethod.TCP_ACKS, claims.measurement().method());
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), token);
    }

    @Test
    void aTokenIsRefusedForAnotherRoomAfterExpiryOrFromAnotherSecret() {
        String token = tokens.issue("keynote", 4_780_000, MeasurementMethod.TCP_ACKS);
        assertTrue(tokens.verify(token, "workshop").isEmpty());
        assertTrue(at(NOW.plusSeconds(119)).verify(token, "keynote").isPresent());
        assertTrue(at(NOW.plusSeconds(120)).verify(token, "keynote").isEmpty());
        ProbeTokens other = new ProbeTokens("another-secret-of-32-characters!".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(2), Clock.fixed(NOW, ZoneOffset.UTC));
        assertTrue(other.verify(token, "keynote").isEmpty());
    }

    @Test
    void aTamperedRateOrGarbageIsRefused() {
        String token = tokens.issue("keynote", 1_900_000, MeasurementMethod.TCP_ACKS);
        String claims = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        String raised = Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace("|1900000|", "|9900000|").getBytes(StandardCharsets.UTF_8));
        assertTrue(tokens.verify(raised + token.substring(token.indexOf('.')), "keynote").isEmpty());
        for (String garbage : new String[] {null, "", ".", "abc", "a.b.c", "!!!.???", "x".repeat(600)}) {
            assertTrue(tokens.verify(garbage, "keynote").isEmpty(), String.valueOf(garbage));
        }
    }

    @Test
    void aShortSecretIsRejected() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new ProbeTokens(new byte[8], Duration.ofMinutes(1), Clock.systemUTC()));
    }
}
