package fluxrelay;

import fluxrelay.access.AccessPolicy;
import fluxrelay.access.AccessTokens;
import fluxrelay.access.Revocations;
import fluxrelay.access.ViewerAccess;
import fluxrelay.admin.BandwidthChoice;
import fluxrelay.admin.RoomSpec;
import fluxrelay.admin.RoomsFile;
import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.config.AccessConfig;
import fluxrelay.config.BandwidthConfig;
import fluxrelay.config.RelayConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Composes what decides who may watch: each room's own bandwidth and access settings (config file overlaid by the
 * rooms file), the bandwidth registry and the viewer access policy. Kept out of {@link RelayServer} so the
 * composition root stays readable.
 */
final class ViewerPolicies {

    private ViewerPolicies() {
    }

    /** Each room's own bandwidth settings: the config file's, overlaid field by field by the rooms file's. */
    static Map<String, BandwidthChoice> ownBandwidth(RelayConfig config, RoomsFile.Content persisted) {
        Map<String, BandwidthChoice> own = new HashMap<>();
        config.rooms().forEach(r -> own.put(r.id(), new BandwidthChoice(r.requiredMbps(),
                r.bandwidthPolicy() == null ? null : r.bandwidthPolicy().label(),
                r.viewerAccess() == null ? null : r.viewerAccess().label())));
        if (persisted != null) {
            persisted.deleted().forEach(own::remove);
            for (RoomSpec spec : persisted.rooms()) {
                BandwidthChoice given = spec.bandwidth();
                try {
                    given.requirement(BandwidthRequirement.ofMbps(1, BandwidthPolicy.OFF));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("rooms file: room '" + spec.id() + "' has invalid bandwidth settings ("
                            + e.getMessage() + "); fix or remove them to start", e);
                }
                if (given.viewerAccess() != null && ViewerAccess.parse(given.viewerAccess()) == null) {
                    throw new IllegalStateException("rooms file: room '" + spec.id() + "' has viewerAccess '"
                            + given.viewerAccess() + "' (open or token); fix it to start");
                }
                own.put(spec.id(), given.over(own.getOrDefault(spec.id(), BandwidthChoice.NONE)));
            }
        }
        own.values().removeIf(BandwidthChoice::isEmpty);
        return own;
    }

    /** The rooms' viewer access: the default, the secrets, and each room's own mode from the config and rooms files. */
    static AccessPolicy access(AccessConfig a, Map<String, BandwidthChoice> own) {
        AccessPolicy access = new AccessPolicy(a.defaultAccess() == AccessConfig.Mode.TOKEN ? ViewerAccess.TOKEN : ViewerAccess.OPEN,
                a.secrets().isEmpty() ? null : new AccessTokens(a.secrets()),
                new Revocations(a.maxRevocations(), Clock.systemUTC()), a.tokenParameter(), Clock.systemUTC());
        own.forEach((id, choice) -> {
            if (choice.viewerAccess() != null) {
                access.set(id, ViewerAccess.parse(choice.viewerAccess()));
            }
        });
        return access;
    }

    /**
     * The bandwidth checks; their probe tokens are signed with {@code relay.bandwidth.token-secret} or, when it is empty,
     * in a cluster with a key derived from the cluster's secret (so a token one node issued is valid on every node, as
     * a viewer behind a load balancer needs), else with a random one.
     *
     * @param clusterSecret the cluster's secret, or null on a single node
     */
    static BandwidthRegistry bandwidth(BandwidthConfig b, Map<String, BandwidthChoice> ownBandwidth, String clusterSecret) {
        BandwidthRequirement defaults = BandwidthRequirement.ofMbps(b.requiredMbps(), policy(b.policy()));
        BandwidthConfig.Probe probe = b.probe();
        BandwidthConfig.Monitor monitor = b.monitor();
        BandwidthSettings settings = new BandwidthSettings(defaults, b.rtmpDetectOnConnect(),
                new BandwidthSettings.Probe(probe.duration(), probe.minBytes(), probe.maxBytes(), probe.timeout(),
                        probe.maxConcurrent()),
                new BandwidthSettings.Monitor(monitor.enabled(), monitor.interval(), monitor.flagAfter(), monitor.unsentLimitBytes()),
                b.tokens().ttl(), b.tokens().parameter(), b.recentVerdicts(), b.renditionHeadroom());
        Map<String, BandwidthRequirement> overrides = new HashMap<>();
        ownBandwidth.forEach((id, own) -> {
            if (own.setsBandwidth()) {
                overrides.put(id, own.requirement(defaults));
            }
        });
        String given = b.tokens().secret();
        byte[] secret = !given.isEmpty() ? given.getBytes(StandardCharsets.UTF_8)
                : clusterSecret != null && !clusterSecret.isEmpty() ? derived(clusterSecret, "fluxrelay bandwidth probe tokens")
                : ProbeTokens.randomSecret();
        return new BandwidthRegistry(settings, overrides, secret, Clock.systemUTC());
    }

    /** A key for {@code purpose} derived from {@code secret} (HMAC-SHA256), never the secret itself. */
    static byte[] derived(String secret, String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** The bandwidth package's policy for the one the configuration names. */
    static BandwidthPolicy policy(BandwidthConfig.Policy policy) {
        return switch (policy) {
            case ENFORCE -> BandwidthPolicy.ENFORCE;
            case WARN -> BandwidthPolicy.WARN;
            case OFF -> BandwidthPolicy.OFF;
        };
    }
}
