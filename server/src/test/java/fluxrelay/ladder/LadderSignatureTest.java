package fluxrelay.ladder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rooms.PublishRequest;
import fluxrelay.stream.FeedId;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The ladder's signed names: one feed each, this server's secret only, for a minute, publishes from loopback only. */
class LadderSignatureTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);
    private final LadderSignature signature = new LadderSignature("s".repeat(32).getBytes(StandardCharsets.UTF_8), NOW);

    private static Map<String, String> query(String name) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : name.substring(name.indexOf('?') + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String base(String name) {
        return name.substring(0, name.indexOf('?'));
    }

    @Test
    void aSignedPlayReadsTheRoomsProgramWithItsOwnTimestamps() {
        String name = signature.playName("gala");
        assertEquals(Optional.of(FeedId.program("gala")), signature.admit(base(name), query(name), "test"));
        assertTrue(signature.keepsTimestamps(base(name)));
        assertFalse(signature.keepsTimestamps("pull"));
    }

    @Test
    void aSignedPublishFeedsOneRenditionFromLoopbackOnly() {
        String name = signature.publishName("gala", "360p");
        assertEquals(Optional.of(FeedId.rendition("gala", "360p")),
                signature.admit(new PublishRequest("live", base(name), query(name), LOOPBACK)));
        assertEquals(Optional.empty(), signature.admit(new PublishRequest("live", base(name), query(name),
                new InetSocketAddress("192.0.2.7", 40000))));
    }

    @Test
    void forgedChangedExpiredOrForeignNamesAreRefused() {
        Map<String, String> publish = query(signature.publishName("gala", "360p"));
        publish.put("rendition", "720p");
        assertEquals(Optional.empty(), signature.admit(new PublishRequest("live", "ladder", publish, LOOPBACK)));
        Map<String, String> play = query(signature.publishName("gala", "360p"));
        assertEquals(Optional.empty(), signature.admit("ladder", play, "test"), "a publish name does not play");
        String later = new LadderSignature("s".repeat(32).getBytes(StandardCharsets.UTF_8),
                Clock.offset(NOW, LadderSignature.VALIDITY.plusSeconds(1).negated())).playName("gala");
        assertEquals(Optional.empty(), signature.admit("ladder", query(later), "test"), "expired");
        String other = new LadderSignature(NOW).playName("gala");
        assertEquals(Optional.empty(), signature.admit("ladder", query(other), "test"), "another server's secret");
        assertEquals(Optional.empty(), signature.admit(new PublishRequest("live", "gala-main-key-0123", Map.of(), LOOPBACK)),
                "an ordinary stream name is not the ladder's");
    }
}
