package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code relay.bandwidth} and the per-room {@code required-mbps} and {@code bandwidth-policy} keys. */
class BandwidthConfigTest {

    private static RelayConfig load(String hocon) {
        Config config = ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve();
        return new ConfigLoader(() -> "generated-key-0123456789").from(config);
    }

    private static void assertMessage(String expected, String hocon) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(hocon));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void defaultsAreThreeMegabitsWarnedAndMonitored() {
        BandwidthConfig b = load("").bandwidth();
        assertEquals(3.0, b.requiredMbps());
        assertEquals(BandwidthConfig.Policy.WARN, b.policy());
        assertFalse(b.rtmpDetectOnConnect());
        assertEquals(Duration.ofSeconds(2), b.probe().duration());
        assertEquals(256 * 1024, b.probe().minBytes());
        assertEquals(4 << 20, b.probe().maxBytes());
        assertEquals("", b.tokens().secret());
        assertEquals("bwtoken", b.tokens().parameter());
        assertTrue(b.monitor().enabled());
        assertEquals(Duration.ofSeconds(1), b.monitor().interval());
        assertEquals(Duration.ofSeconds(5), b.monitor().flagAfter());
        assertEquals(128 * 1024, b.monitor().unsentLimitBytes());
    }

    @Test
    void roomsMaySetTheirOwnRequirementAndPolicy() {
        RelayConfig config = load("relay.demo-room { required-mbps = 1.5 }\n"
                + "relay.rooms = [ { id = keynote, stream-name = k-1-0123456789abcdef, required-mbps = 6, bandwidth-policy = ENFORCE },"
                + " { id = lobby, stream-name = k-2-0123456789abcdef, bandwidth-policy = off } ]");
        RoomConfig keynote = config.rooms().get(0);
        assertEquals(6.0, keynote.requiredMbps());
        assertEquals(BandwidthConfig.Policy.ENFORCE, keynote.bandwidthPolicy());
        assertNull(config.rooms().get(1).requiredMbps());
        assertEquals(BandwidthConfig.Policy.OFF, config.rooms().get(1).bandwidthPolicy());
        assertEquals(1.5, config.demoRoom().requiredMbps());
        assertNull(config.demoRoom().bandwidthPolicy());
    }

    @Test
    void errorsNameTheKey() {
        assertMessage("relay.bandwidth.policy: must be enforce, warn or off", "relay.bandwidth.policy = strict");
        assertMessage("relay.bandwidth.required-mbps: must be between 0.001 and 100000 Mbit/s, got 0.0", "relay.bandwidth.required-mbps = 0");
        assertMessage("relay.bandwidth.required-mbps: must be a number", "relay.bandwidth.required-mbps = lots");
        assertMessage("relay.rooms[0].bandwidth-policy: must be enforce, warn or off",
                "relay.rooms = [ { id = a, stream-name = k-0123456789abcdef, bandwidth-policy = maybe } ]");
        assertMessage("relay.rooms[0].required-mbps", "relay.rooms = [ { id = a, stream-name = k-0123456789abcdef, required-mbps = -2 } ]");
        assertMessage("relay.bandwidth.probe-min-bytes: must not exceed probe-max-bytes",
                "relay.bandwidth { probe-min-bytes = 2MiB, probe-max-bytes = 1MiB }");
        assertMessage("relay.bandwidth.probe-timeout: must be at least twice probe-duration",
                "relay.bandwidth { probe-duration = 6s, probe-timeout = 10s }");
        assertMessage("relay.bandwidth.token-secret", "relay.bandwidth.token-secret = short");
        assertMessage("relay.bandwidth.token-parameter", "relay.bandwidth.token-parameter = \"a b\"");
        assertMessage("relay.bandwidth.monitor.interval", "relay.bandwidth.monitor.interval = 10ms");
        assertMessage("relay.bandwidth.monitor.flag-after", "relay.bandwidth.monitor { interval = 1s, flag-after = 40s }");
    }

    @Test
    void theTokenSecretNeverShowsInToString() {
        BandwidthConfig b = load("relay.bandwidth.token-secret = \"a-very-secret-value-1234\"").bandwidth();
        assertEquals("a-very-secret-value-1234", b.tokens().secret());
        assertFalse(b.toString().contains("secret-value"), b.toString());
        RoomConfig room = load("relay.rooms = [ { id = a, stream-name = k-secret-0123456789abcdef, required-mbps = 2 } ]").rooms().get(0);
        assertFalse(room.toString().contains("k-secret-0123456789abcdef"));
        assertTrue(room.toString().contains("requiredMbps=2.0"));
    }
}
