package fluxrelay.config;

import java.time.Duration;
import java.util.Locale;

/**
 * Per-viewer bandwidth checks ({@code relay.bandwidth}).
 *
 * @param requiredMbps default download rate a viewer needs, Mbit/s
 * @param policy default policy
 * @param rtmpDetectOnConnect run RTMP bandwidth detection right after connect (players only)
 * @param probe the probe payload and its limits
 * @param monitor sampling of every viewer's delivery rate during playback
 * @param tokens probe and playback tokens
 * @param recentVerdicts verdicts kept per room for the admin view
 * @param renditionHeadroom a quality rendition needs its measured ingest rate times this (1 to 10)
 */
public record BandwidthConfig(double requiredMbps, Policy policy, boolean rtmpDetectOnConnect, Probe probe, Monitor monitor,
                              Tokens tokens, int recentVerdicts, double renditionHeadroom) {

    /** Lowest required rate, Mbit/s (1 kbit/s): a rate is kept in whole bit/s and must stay above zero. */
    public static final double MIN_MBPS = 0.001;
    /** Highest required rate, Mbit/s. */
    public static final double MAX_MBPS = 100_000;

    /** What a room does with a viewer below its required rate ({@code policy}, a room's {@code bandwidth-policy}). */
    public enum Policy {
        /** Refused before playback, disconnected when persistently below during it. */
        ENFORCE,
        /** Plays; flagged and logged when below. */
        WARN,
        /** No checks, no monitoring. */
        OFF;

        /** The configuration spelling. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The probe payload: the required rate for {@code duration}, within {@code minBytes} and {@code maxBytes}.
     *
     * @param duration probe payload = required rate times this
     * @param minBytes smallest probe payload
     * @param maxBytes largest probe payload
     * @param timeout a probe not delivered by then is judged below
     * @param maxConcurrent most HTTP probes at once
     */
    public record Probe(Duration duration, int minBytes, int maxBytes, Duration timeout, int maxConcurrent) {
    }

    /**
     * Sampling of viewers' delivery rates ({@code relay.bandwidth.monitor}).
     *
     * @param enabled sample every viewer's delivery rate during playback
     * @param interval sampling window
     * @param flagAfter below windows adding up to this long flag a viewer
     * @param unsentLimitBytes TCP_NOTSENT_LOWAT of monitored viewer sockets on epoll, 0 for the kernel default
     */
    public record Monitor(boolean enabled, Duration interval, Duration flagAfter, long unsentLimitBytes) {
    }

    /**
     * Probe and playback tokens.
     *
     * @param secret HMAC secret of probe tokens (secret); empty means random at each start
     * @param ttl how long a probe token stays valid
     * @param parameter query parameter carrying the token in playback URLs
     * @param hlsTtl how long the tokens written into the URIs of HLS playlists answered under enforce stay valid
     */
    public record Tokens(String secret, Duration ttl, String parameter, Duration hlsTtl) {

        @Override
        public String toString() {
            // The secret is a secret: never printed by accident.
            return "Tokens[secret=" + (secret.isEmpty() ? "random" : "***") + ", ttl=" + ttl + ", parameter=" + parameter
                    + ", hlsTtl=" + hlsTtl + "]";
        }
    }
}
