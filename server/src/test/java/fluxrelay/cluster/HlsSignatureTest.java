package fluxrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signed forwarded HLS requests: only the secret makes one, for one path, for a minute. */
class HlsSignatureTest {

    private static final byte[] SECRET = "cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final String PATH = "/hls/keynote/ll.m3u8";

    private static HlsSignature at(Instant instant, byte[] secret) {
        return new HlsSignature(secret, Clock.fixed(instant, ZoneOffset.UTC));
    }

    @Test
    void aFreshSignatureIsAcceptedForItsPath() {
        String header = at(NOW, SECRET).sign("edge-1", PATH);

        assertEquals(Optional.empty(), at(NOW.plusSeconds(5), SECRET).refusal(header, PATH));
    }

    @Test
    void anotherPathAnotherSecretAChangedNodeOrExpiryAndOldSignaturesAreRefused() {
        String header = at(NOW, SECRET).sign("edge-1", PATH);
        String[] fields = header.split(" ");

        assertEquals(Optional.of("bad signature"), at(NOW, SECRET).refusal(header, "/hls/other/ll.m3u8"));
        assertEquals(Optional.of("bad signature"),
                at(NOW, "another-secret-0123456789".getBytes(StandardCharsets.UTF_8)).refusal(header, PATH));
        assertEquals(Optional.of("bad signature"), at(NOW, SECRET).refusal("edge-2 " + fields[1] + " " + fields[2], PATH));
        assertEquals(Optional.of("bad signature"),
                at(NOW, SECRET).refusal(fields[0] + " " + (Long.parseLong(fields[1]) + 600) + " " + fields[2], PATH));
        assertTrue(at(NOW.plus(HlsSignature.VALIDITY).plusSeconds(2), SECRET).refusal(header, PATH).get().startsWith("expired"));
        assertEquals(Optional.of("expiry too far ahead"), at(NOW.minus(HlsSignature.VALIDITY.multipliedBy(2)), SECRET).refusal(header, PATH));
    }

    @Test
    void missingOrMalformedHeadersAreRefused() {
        HlsSignature signature = at(NOW, SECRET);

        assertEquals(Optional.of("malformed signature header"), signature.refusal(null, PATH));
        assertEquals(Optional.of("malformed signature header"), signature.refusal("edge-1 123", PATH));
        assertEquals(Optional.of("unreadable expiry"), signature.refusal("edge-1 soon 00ff", PATH));
    }
}
