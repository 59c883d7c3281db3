package fluxrelay.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.command.StreamName;
import fluxrelay.stream.FeedId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Signed play names of internal pulls: only the secret makes one, for one feed, for a minute. */
class PullSignatureTest {

    private static final byte[] SECRET = "cluster-secret-0123456789".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    private static final FeedId FEED = new FeedId("keynote", "main");

    private static PullSignature at(Instant instant, byte[] secret) {
        return new PullSignature(secret, Clock.fixed(instant, ZoneOffset.UTC));
    }

    private static StreamName signed(PullSignature signer, FeedId feed) {
        return StreamName.parse(signer.playName("edge-1", feed));
    }

    @Test
    void aFreshSignatureAdmitsItsFeedForItsNode() {
        StreamName name = signed(at(NOW, SECRET), FEED);

        PullSignature.Verdict verdict = at(NOW.plusSeconds(5), SECRET).verify(name.query());

        PullSignature.Verdict.Valid valid = assertInstanceOf(PullSignature.Verdict.Valid.class, verdict);
        assertEquals(FEED, valid.feed());
        assertEquals("edge-1", valid.node());
        assertEquals(Optional.of(FEED), at(NOW, SECRET).admit(name.name(), name.query(), "test"));
    }

    @Test
    void aRenditionPullNamesItsRenditionAndCannotBeMovedToAnotherOrToTheProgram() {
        FeedId low = FeedId.rendition("keynote", "480p");
        StreamName name = signed(at(NOW, SECRET), low);
        PullSignature verifier = at(NOW, SECRET);

        assertEquals(Optional.of(low), verifier.admit(name.name(), name.query(), "test"));
        Map<String, String> other = new HashMap<>(name.query());
        other.put("rendition", "240p");
        assertEquals(new PullSignature.Verdict.Invalid("bad signature"), verifier.verify(other));
        Map<String, String> program = new HashMap<>(name.query());
        program.remove("rendition");
        assertEquals(new PullSignature.Verdict.Invalid("bad signature"), verifier.verify(program));
        Map<String, String> ofInput = new HashMap<>(name.query());
        ofInput.put("feed", "main");
        assertInstanceOf(PullSignature.Verdict.Invalid.class, verifier.verify(ofInput));
    }

    @Test
    void aNameSignedWithAnotherSecretIsRefused() {
        StreamName forged = signed(at(NOW, "another-secret-0123456789".getBytes(StandardCharsets.UTF_8)), FEED);

        assertEquals(new PullSignature.Verdict.Invalid("bad signature"), at(NOW, SECRET).verify(forged.query()));
        assertTrue(at(NOW, SECRET).admit(forged.name(), forged.query(), "test").isEmpty());
    }

    @Test
    void anExpiredSignatureIsRefused() {
        StreamName name = signed(at(NOW, SECRET), FEED);

        PullSignature.Verdict verdict = at(NOW.plus(PullSignature.VALIDITY).plusSeconds(2), SECRET).verify(name.query());

        assertTrue(assertInstanceOf(PullSignature.Verdict.Invalid.class, verdict).reason().startsWith("expired"));
    }

    @Test
    void aSignatureCannotBeMovedToAnotherRoomFeedNodeOrExpiry() {
        Map<String, String> good = signed(at(NOW, SECRET), FEED).query();
        PullSignature verifier = at(NOW, SECRET);
        for (Map.Entry<String, String> change : Map.of("room", "other-room", "feed", "backup", "node", "edge-2",
                "exp", Long.toString(NOW.plus(Duration.ofSeconds(90)).getEpochSecond())).entrySet()) {
            Map<String, String> moved = new HashMap<>(good);
            moved.put(change.getKey(), change.getValue());
            assertEquals(new PullSignature.Verdict.Invalid("bad signature"), verifier.verify(moved), change.getKey());
        }
    }

    @Test
    void incompleteOrViewerNamesAreRefused() {
        PullSignature verifier = at(NOW, SECRET);
        Map<String, String> missing = new HashMap<>(signed(verifier, FEED).query());
        missing.remove("sig");

        assertInstanceOf(PullSignature.Verdict.Invalid.class, verifier.verify(missing));
        assertTrue(verifier.admit("keynote", signed(verifier, FEED).query(), "test").isEmpty(),
                "a signed query on another stream name is not a pull");
    }
}
