package fluxrelay.config;

import java.time.Duration;

/**
 * Per-viewer bandwidth checks ({@code relay.bandwidth}).
 *
 * @param requiredMbps default download rate a viewer needs, Mbit/s
 * @param policy default policy: "enforce", "warn" or "off"
 * @param rtmpDetectOnConnect run RTMP bandwidth detection right after connect (players only)
 * @param probeDuration probe payload = required rate times this
 * @param probeMinBytes smallest probe payload
 * @param probeMaxBytes largest probe payload
 * @param probeTimeout a probe not delivered by then is judged below
 * @param maxConcurrentProbes most HTTP probes at once
 * @param tokenSecret HMAC secret of probe tokens (secret); empty means random at each start
 * @param tokenTtl how long a probe token stays valid
 * @param tokenParameter query parameter carrying the token in playback URLs
 * @param monitor sample every viewer's delivery rate during playback
 * @param monitorInterval sampling window
 * @param flagAfter below windows adding up to this long flag a viewer
 * @param unsentLimitBytes TCP_NOTSENT_LOWAT of monitored viewer sockets on epoll, 0 for the kernel default
 * @param recentVerdicts verdicts kept per room for the admin view
 * @param hlsTokenTtl how long the tokens written into the URIs of HLS playlists answered under enforce stay valid
 */
public record BandwidthConfig(double requiredMbps, String policy, boolean rtmpDetectOnConnect, Duration probeDuration,
                              int probeMinBytes, int probeMaxBytes, Duration probeTimeout, int maxConcurrentProbes,
                              String tokenSecret, Duration tokenTtl, String tokenParameter, boolean monitor,
                              Duration monitorInterval, Duration flagAfter, long unsentLimitBytes, int recentVerdicts,
                              Duration hlsTokenTtl) {

    /** The policies a room may have. */
    static final java.util.Set<String> POLICIES = java.util.Set.of("enforce", "warn", "off");

    @Override
    public String toString() {
        // The token secret is a secret: never printed by accident.
        return "BandwidthConfig[requiredMbps=" + requiredMbps + ", policy=" + policy + ", rtmpDetectOnConnect=" + rtmpDetectOnConnect
                + ", monitor=" + monitor + "]";
    }
}
