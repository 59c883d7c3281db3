package fluxrelay.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The signing command platforms try tokens with. */
class SignTokenTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0001";
    private final Clock clock = Clock.fixed(Instant.parse("2026-05-04T10:00:00Z"), ZoneOffset.UTC);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String environmentSecret, String... args) {
        return SignToken.run(args, environmentSecret, clock, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsATokenTheServerAccepts() {
        assertEquals(0, run(null, "--secret", SECRET, "--room", "keynote", "--ttl", "2h", "--attendee", "A-7"));
        String token = out.toString(StandardCharsets.UTF_8).strip();
        AccessClaims claims = assertInstanceOf(AccessCheck.Granted.class,
                new AccessTokens(List.of(SECRET)).verify(token, "keynote", null, clock.instant())).claims();
        assertEquals(clock.instant().plus(Duration.ofHours(2)), claims.expires());
        assertEquals("A-7", claims.attendee());
    }

    @Test
    void takesTheSecretFromTheEnvironment() {
        assertEquals(0, run(SECRET, "--room", "keynote", "--ttl", "90", "--address", "203.0.113.7"));
        String token = out.toString(StandardCharsets.UTF_8).strip();
        assertInstanceOf(AccessCheck.Granted.class,
                new AccessTokens(List.of(SECRET)).verify(token, "keynote", "203.0.113.7", clock.instant().plusSeconds(89)));
    }

    @Test
    void refusesMissingOrUnknownArguments() {
        assertEquals(2, run(null, "--room", "keynote"));
        assertEquals(2, run(SECRET, "--secret"));
        assertEquals(2, run(SECRET, "--room", "keynote", "--colour", "blue"));
        assertEquals(2, run(SECRET, "--room", "keynote", "--ttl", "soon"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: SignToken"));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readsDurations() {
        assertEquals(Duration.ofSeconds(90), SignToken.duration("90"));
        assertEquals(Duration.ofMinutes(30), SignToken.duration("30m"));
        assertEquals(Duration.ofDays(1), SignToken.duration("1d"));
        assertThrows(IllegalArgumentException.class, () -> SignToken.duration("0h"));
    }
}
