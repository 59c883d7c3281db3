package fluxrelay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.config.BandwidthConfig;
import fluxrelay.config.ConfigLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which key signs bandwidth probe tokens: the configured {@code token-secret}; else, in a cluster, one derived from the
 * cluster's secret, so every node accepts the tokens another issued (a viewer behind a load balancer probes one node and
 * plays from another); else a random one per start.
 */
class BandwidthTokenSecretTest {

    private static final String CLUSTER = "cluster-secret-0123456789abcdef0123";

    private static BandwidthConfig bandwidth(String extra) {
        return new ConfigLoader().from(ConfigFactory.parseString(extra).withFallback(ConfigFactory.defaultReference()).resolve())
                .bandwidth();
    }

    private static boolean accepts(BandwidthRegistry issuer, BandwidthRegistry verifier) {
        String token = issuer.tokens().issue("keynote", 5_000_000, MeasurementMethod.TCP_ACKS);
        return verifier.tokens().verify(token, "keynote").isPresent();
    }

    @Test
    void nodesOfOneClusterAcceptEachOthersTokensWithoutATokenSecret() {
        BandwidthConfig none = bandwidth("");
        BandwidthRegistry a = ViewerPolicies.bandwidth(none, Map.of(), CLUSTER);
        BandwidthRegistry b = ViewerPolicies.bandwidth(none, Map.of(), CLUSTER);
        assertTrue(accepts(a, b) && accepts(b, a));
        assertFalse(accepts(a, ViewerPolicies.bandwidth(none, Map.of(), CLUSTER + "-other")), "another cluster's node");
        assertFalse(accepts(a, ViewerPolicies.bandwidth(none, Map.of(), null)), "a single server draws its own key");
        assertFalse(accepts(ViewerPolicies.bandwidth(none, Map.of(), null), ViewerPolicies.bandwidth(none, Map.of(), null)));
    }

    @Test
    void aConfiguredTokenSecretWinsOverTheClustersAndIsNotTheDerivedKey() {
        BandwidthConfig set = bandwidth("relay.bandwidth.token-secret = \"shared-token-secret-0123456789\"");
        BandwidthRegistry clustered = ViewerPolicies.bandwidth(set, Map.of(), CLUSTER);
        assertTrue(accepts(clustered, ViewerPolicies.bandwidth(set, Map.of(), null)), "the configured secret, cluster or not");
        assertFalse(accepts(clustered, ViewerPolicies.bandwidth(bandwidth(""), Map.of(), CLUSTER)));
        // The derived key is not the cluster secret itself: a token-secret equal to it signs differently.
        BandwidthConfig same = bandwidth("relay.bandwidth.token-secret = \"" + CLUSTER + "\"");
        assertFalse(accepts(ViewerPolicies.bandwidth(same, Map.of(), null), ViewerPolicies.bandwidth(bandwidth(""), Map.of(), CLUSTER)));
    }
}
