package fluxrelay.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The access token format: what it admits and every way it refuses. */
class AccessTokensTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0001";
    private static final String NEXT_SECRET = "platform-secret-0123456789abcdef-0002";
    private static final Instant NOW = Instant.parse("2026-05-04T10:00:00Z");
    private static final Instant LATER = NOW.plus(Duration.ofHours(2));

    private final AccessTokens tokens = new AccessTokens(List.of(SECRET));

    private static AccessRefusal refusal(AccessCheck check) {
        return assertInstanceOf(AccessCheck.Denied.class, check).reason();
    }

    @Test
    void aValidTokenGivesItsClaims() {
        String token = tokens.sign("keynote", LATER, "A-1042", null);
        AccessClaims claims = assertInstanceOf(AccessCheck.Granted.class, tokens.verify(token, "keynote", "198.51.100.7", NOW))
                .claims();
        assertEquals(new AccessClaims("keynote", LATER, "A-1042", null), claims);
        assertTrue(token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+"), "URL-safe without encoding: " + token);
    }

    @Test
    void aTokenWithoutAttendeeHasNone() {
        String token = tokens.sign("keynote", LATER, null, null);
        assertNull(assertInstanceOf(AccessCheck.Granted.class, tokens.verify(token, "keynote", null, NOW)).claims().attendee());
    }

    @Test
    void anExpiredTokenIsRefusedFromItsExpirySecondOn() {
        String token = tokens.sign("keynote", LATER, "A-1042", null);
        assertInstanceOf(AccessCheck.Granted.class, tokens.verify(token, "keynote", null, LATER.minusSeconds(1)));
        assertEquals(AccessRefusal.EXPIRED, refusal(tokens.verify(token, "keynote", null, LATER)));
    }

    @Test
    void aTokenForAnotherRoomIsRefused() {
        assertEquals(AccessRefusal.OTHER_ROOM, refusal(tokens.verify(tokens.sign("other", LATER, null, null), "keynote", null, NOW)));
    }

    @Test
    void aForgedOrAlteredTokenIsRefused() {
        String forged = new AccessTokens(List.of("somebody-elses-secret-0123456789abcdef")).sign("keynote", LATER, "A-1", null);
        assertEquals(AccessRefusal.BAD_SIGNATURE, refusal(tokens.verify(forged, "keynote", null, NOW)));
        String genuine = tokens.sign("keynote", NOW.plusSeconds(60), "A-1", null);
        // The attendee extends its own token: the payload changes, the signature no longer matches.
        String payload = new String(Base64.getUrlDecoder().decode(genuine.substring(0, genuine.indexOf('.'))), StandardCharsets.UTF_8);
        String longer = payload.replace(Long.toString(NOW.plusSeconds(60).getEpochSecond()), Long.toString(LATER.getEpochSecond()));
        String altered = Base64.getUrlEncoder().withoutPadding().encodeToString(longer.getBytes(StandardCharsets.UTF_8))
                + genuine.substring(genuine.indexOf('.'));
        assertEquals(AccessRefusal.BAD_SIGNATURE, refusal(tokens.verify(altered, "keynote", null, NOW)));
    }

    @Test
    void aMissingOrMalformedTokenIsRefused() {
        assertEquals(AccessRefusal.MISSING, refusal(tokens.verify(null, "keynote", null, NOW)));
        assertEquals(AccessRefusal.MISSING, refusal(tokens.verify("", "keynote", null, NOW)));
        for (String bad : List.of("abc", ".abc", "a.b.c", "!!!.???", "x".repeat(3000) + ".y")) {
            assertEquals(AccessRefusal.MALFORMED, refusal(tokens.verify(bad, "keynote", null, NOW)), bad);
        }
    }

    @Test
    void aBoundTokenPlaysOnlyFromItsAddressHoweverItIsWritten() {
        String v4 = tokens.sign("keynote", LATER, "A-1", "203.0.113.7");
        assertInstanceOf(AccessCheck.Granted.class, tokens.verify(v4, "keynote", "203.0.113.7", NOW));
        assertEquals(AccessRefusal.WRONG_ADDRESS, refusal(tokens.verify(v4, "keynote", "203.0.113.8", NOW)));
        assertEquals(AccessRefusal.WRONG_ADDRESS, refusal(tokens.verify(v4, "keynote", null, NOW)));
        String v6 = tokens.sign("keynote", LATER, "A-1", "::1");
        assertInstanceOf(AccessCheck.Granted.class, tokens.verify(v6, "keynote", "0:0:0:0:0:0:0:1", NOW));
    }

    @Test
    void everyConfiguredSecretIsAcceptedSoThePlatformCanRotate() {
        AccessTokens rotating = new AccessTokens(List.of(NEXT_SECRET, SECRET));
        String old = tokens.sign("keynote", LATER, null, null);
        String fresh = new AccessTokens(List.of(NEXT_SECRET)).sign("keynote", LATER, null, null);
        assertInstanceOf(AccessCheck.Granted.class, rotating.verify(old, "keynote", null, NOW));
        assertInstanceOf(AccessCheck.Granted.class, rotating.verify(fresh, "keynote", null, NOW));
        // Once the old secret is retired, its tokens stop working.
        assertEquals(AccessRefusal.BAD_SIGNATURE, refusal(new AccessTokens(List.of(NEXT_SECRET)).verify(old, "keynote", null, NOW)));
    }

    /** The shell recipe of docs/access.md, run with openssl, makes tokens the server accepts. */
    @Test
    void theDocumentedOpensslRecipeSignsValidTokens(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) || Files.isExecutable(Path.of("/bin/openssl")),
                "openssl is not installed");
        Path script = dir.resolve("sign.sh");
        Files.writeString(script, """
                SECRET="$1" ROOM="$2" EXPIRES="$3" ATTENDEE="$4" ADDRESS="$5"
                b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
                payload() { printf 'fluxrelay-access-1\\n%s\\n%s\\n%s\\n%s' "$ROOM" "$EXPIRES" "$ATTENDEE" "$ADDRESS"; }
                echo "$(payload | b64url).$(payload | openssl dgst -sha256 -hmac "$SECRET" -binary | b64url)"
                """);
        Process process = new ProcessBuilder("sh", script.toString(), SECRET, "keynote",
                Long.toString(LATER.getEpochSecond()), "A-1042", "").redirectErrorStream(true).start();
        try {
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertEquals(0, process.exitValue(), token);
            assertEquals(tokens.sign("keynote", LATER, "A-1042", null), token);
        } finally {
            process.destroyForcibly();
        }
    }
}
