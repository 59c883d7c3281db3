package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Unknown keys under {@code relay} stop the start, named by their full path, with the nearest known key. */
class StrictKeysTest {

    private static RelayConfig load(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return new ConfigLoader(() -> "generated-key-0123456789").from(config);
    }

    private static String error(String hocon) {
        return assertThrows(ConfigException.class, () -> load(hocon)).getMessage();
    }

    @Test
    void aMistypedKeyIsNamedWithTheKeyItMeant() {
        assertEquals("relay.rtmp.prot: unknown key, did you mean relay.rtmp.port?", error("relay.rtmp.prot = 1936"));
        assertEquals("relay.hls.taget-duration: unknown key, did you mean relay.hls.target-duration?",
                error("relay.hls.taget-duration = 4s"));
        assertEquals("relay.bandwidth.monitor.intervall: unknown key, did you mean relay.bandwidth.monitor.interval?",
                error("relay.bandwidth.monitor.intervall = 2s"));
    }

    @Test
    void aMistypedSectionIsNamedOnceAtItsOwnLevel() {
        assertEquals("relay.rtpm: unknown key, did you mean relay.rtmp?", error("relay.rtpm { port = 1936, chunk-size = 8192 }"));
    }

    @Test
    void aKeyInTheWrongSectionPointsToWhereItLives() {
        assertEquals("relay.rtmp.target-duration: unknown key, did you mean relay.hls.target-duration?",
                error("relay.rtmp.target-duration = 4s"));
    }

    @Test
    void aKeyLikeNoOtherIsNamedWithoutAGuess() {
        assertEquals("relay.rtmp.colour: unknown key", error("relay.rtmp.colour = blue"));
    }

    @Test
    void everyUnknownKeyIsNamedAtOnce() {
        String message = error("relay.rtmp.prot = 1936\nrelay.http.prot = 8081");
        assertTrue(message.contains("relay.rtmp.prot: unknown key"), message);
        assertTrue(message.contains("relay.http.prot: unknown key"), message);
    }

    @Test
    void roomKeysAreCheckedInEveryRoomAndInput() {
        assertEquals("relay.rooms[1].stream-nmae: unknown key, did you mean relay.rooms[1].stream-name?",
                error("relay.rooms = [ { id = a, stream-name = k1-0123456789abcdef }, "
                        + "{ id = b, stream-nmae = k2-0123456789abcdef, stream-name = k3-0123456789abcdef } ]"));
        assertEquals("relay.rooms[0].inputs[1].rol: unknown key, did you mean relay.rooms[0].inputs[1].role?",
                error("relay.rooms = [ { id = a, inputs = [ { id = main, stream-name = k1-0123456789abcdef },"
                        + " { id = backup, stream-name = k2-0123456789abcdef, rol = backup } ] } ]"));
        assertEquals("relay.demo-room.titel: unknown key, did you mean relay.demo-room.title?",
                error("relay.demo-room.titel = \"Demo\""));
    }

    @Test
    void theDocumentedRoomKeysAreAccepted() {
        RelayConfig config = load("relay.demo-room { required-mbps = 2, bandwidth-policy = warn, hls = ts }\n"
                + "relay.rooms = [ { id = a, title = A, app = live, stream-name = k1-0123456789abcdef, auto-live = false, required-mbps = 4,"
                + " bandwidth-policy = enforce, hls = fmp4 },"
                + " { id = b, inputs = [ { id = main, stream-name = k2-0123456789abcdef, role = main } ] } ]");
        assertEquals(3, config.rooms().size());
        assertEquals(RoomConfig.Hls.TS, config.demoRoom().hls(), "the demo room honours hls like any room");
    }

    @Test
    void aTypoIsReportedBeforeTheMissingKeyItCauses() {
        // Without the key check the error would be "stream-name: missing", which hides the typo.
        assertTrue(error("relay.rooms = [ { id = a, stream-nam = k-0123456789abcdef } ]").startsWith("relay.rooms[0].stream-nam: unknown key"));
    }

    @Test
    void theDistanceCountsASwapOfNeighboursAsOneEdit() {
        assertEquals(1, KnownKeys.distance("prot", "port"));
        assertEquals(1, KnownKeys.distance("taget", "target"));
        assertEquals(2, KnownKeys.distance("port", "host"));
        assertEquals(0, KnownKeys.distance("", ""));
    }

    @Test
    void overridesOfKnownKeysStillWork() {
        // CONFIG_FORCE_relay_rtmp_port and system properties arrive as ordinary paths in the merged config.
        Config forced = ConfigFactory.parseMap(java.util.Map.of("relay.rtmp.port", "1936", "relay.stream.viewer-max-lag", "5s"));
        RelayConfig config = new ConfigLoader(() -> "generated-key-0123456789")
                .from(forced.withFallback(ConfigFactory.defaultReference()).resolve());
        assertEquals(1936, config.rtmp().port());
        assertEquals(java.time.Duration.ofSeconds(5), config.stream().viewerMaxLag());
    }
}
