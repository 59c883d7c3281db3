package fluxrelay.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code relay.cluster}: off by default with nothing required; enabled, validated with errors naming the key. */
class ClusterConfigTest {

    private static final String SECRET = "secret = \"0123456789abcdef0123456789abcdef\"";

    private static ClusterConfig load(String hocon) {
        return new ConfigLoader().from(ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve())
                .cluster();
    }

    @Test
    void offByDefaultWithoutSecretOrRedis() {
        ClusterConfig cluster = load("");
        assertFalse(cluster.enabled());
        assertEquals("redis://127.0.0.1:6379", cluster.redisUri());
        assertEquals(Duration.ofSeconds(1), cluster.heartbeatInterval());
        assertEquals(Duration.ofSeconds(5), cluster.leaseTtl());
        assertEquals(Duration.ofSeconds(30), cluster.pullIdleTimeout());
    }

    @Test
    void enabledTakesTheHostNameUnlessNamed() {
        ClusterConfig named = load("relay.cluster { enabled = true, node-id = relay-2, advertise-host = 10.0.0.2, " + SECRET + " }");
        assertEquals("relay-2", named.nodeId());
        assertEquals("10.0.0.2", named.advertiseHost());
        ClusterConfig unnamed = load("relay.cluster { enabled = true, " + SECRET + " }");
        assertFalse(unnamed.nodeId().isEmpty());
        assertFalse(unnamed.advertiseHost().isEmpty());
    }

    @Test
    void enabledRequiresALongSecretAValidUriAndALeaseBeyondTwoHeartbeats() {
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.cluster { enabled = true, secret = short }"))
                .getMessage().startsWith("relay.cluster.secret"));
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.cluster { enabled = true, redis-uri = \"http://x\", "
                + SECRET + " }")).getMessage().startsWith("relay.cluster.redis-uri"));
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.cluster { enabled = true, heartbeat-interval = 2s, "
                + "lease-ttl = 4s, " + SECRET + " }")).getMessage().startsWith("relay.cluster.lease-ttl"));
        assertTrue(assertThrows(ConfigException.class, () -> load("relay.cluster { enabled = true, node-id = \"a b\", "
                + SECRET + " }")).getMessage().startsWith("relay.cluster.node-id"));
    }

    @Test
    void logsNeverShowTheRedisPasswordOrTheSecret() {
        ClusterConfig cluster = load("relay.cluster { enabled = true, redis-uri = \"redis://:pa55word@redis:6379\", " + SECRET + " }");
        assertEquals("redis://***@redis:6379", cluster.redactedUri());
        assertFalse(cluster.toString().contains("pa55word"));
        assertFalse(cluster.toString().contains("0123456789abcdef"));
    }
}
