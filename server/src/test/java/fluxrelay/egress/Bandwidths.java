package fluxrelay.egress;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.ProbeTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Bandwidth registries for egress tests: 3 Mbit/s required, one below window flags a viewer. */
final class Bandwidths {

    private Bandwidths() {
    }

    static BandwidthRegistry registry(BandwidthPolicy policy) {
        BandwidthSettings settings = new BandwidthSettings(BandwidthRequirement.ofMbps(3, policy), false,
                new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 4),
                new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(1), 0), Duration.ofMinutes(2),
                "bwtoken", 20);
        return new BandwidthRegistry(settings, Map.of(), ProbeTokens.randomSecret(), Clock.systemUTC());
    }
}
