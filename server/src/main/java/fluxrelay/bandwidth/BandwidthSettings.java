package fluxrelay.bandwidth;

import java.time.Duration;

/**
 * How bandwidth is checked ({@code relay.bandwidth}).
 *
 * @param defaults requirement and policy of rooms that set none
 * @param rtmpDetectOnConnect run RTMP bandwidth detection right after {@code connect} (players only)
 * @param probe probe sizing and limits
 * @param monitor during-playback monitoring
 * @param tokenTtl how long a probe token stays valid
 * @param tokenParameter the playback URL query parameter carrying the token
 * @param recentVerdicts verdicts kept per room for the admin view
 * @param renditionHeadroom a quality rendition needs its measured ingest rate times this (at least 1), so that a
 *                          viewer moved down to it has room for the rendition's peaks and its own link's jitter
 */
public record BandwidthSettings(BandwidthRequirement defaults, boolean rtmpDetectOnConnect, Probe probe, Monitor monitor,
                                Duration tokenTtl, String tokenParameter, int recentVerdicts, double renditionHeadroom) {

    /** The rendition headroom when none is configured: a rendition needs 1.25 times what it was measured at. */
    public static final double DEFAULT_RENDITION_HEADROOM = 1.25;

    public BandwidthSettings {
        if (!(renditionHeadroom >= 1) || renditionHeadroom > 10) {
            throw new IllegalArgumentException("rendition headroom must be between 1 and 10, got " + renditionHeadroom);
        }
    }

    /** Settings with the default rendition headroom. */
    public BandwidthSettings(BandwidthRequirement defaults, boolean rtmpDetectOnConnect, Probe probe, Monitor monitor,
                             Duration tokenTtl, String tokenParameter, int recentVerdicts) {
        this(defaults, rtmpDetectOnConnect, probe, monitor, tokenTtl, tokenParameter, recentVerdicts, DEFAULT_RENDITION_HEADROOM);
    }

    /**
     * Probe sizing: the payload carries the required rate for {@code duration}, within the bounds.
     *
     * @param duration how long the payload takes at exactly the required rate
     * @param minBytes smallest payload
     * @param maxBytes largest payload (also the size of the shared random buffer)
     * @param timeout a probe or detection not delivered by then ends with a below verdict
     * @param maxConcurrent most HTTP probes running at once; more are answered 503
     */
    public record Probe(Duration duration, int minBytes, int maxBytes, Duration timeout, int maxConcurrent) {

        /** Payload size for a requirement. */
        public int bytesFor(BandwidthRequirement requirement) {
            double bytes = requirement.bitsPerSecond() / 8.0 * duration.toNanos() / 1e9;
            return (int) Math.max(minBytes, Math.min(maxBytes, Math.round(bytes)));
        }
    }

    /**
     * During-playback monitoring.
     *
     * @param enabled sample every viewer's delivery (rooms with policy off are never sampled)
     * @param interval sampling window
     * @param flagAfter below windows adding up to this long flag a viewer
     * @param unsentLimitBytes TCP_NOTSENT_LOWAT for monitored viewers on epoll, so a backlog waits in the
     *                         server's queue where it is seen, not in the kernel; 0 leaves the kernel default
     */
    public record Monitor(boolean enabled, Duration interval, Duration flagAfter, long unsentLimitBytes) {

        /** Windows that make up {@link #flagAfter}, at least 1 and at most 31. */
        public int flagWindows() {
            long n = (flagAfter.toNanos() + interval.toNanos() - 1) / interval.toNanos();
            return (int) Math.max(1, Math.min(31, n));
        }
    }

    /** Checks off, no monitoring: what a server without bandwidth configuration does. */
    public static BandwidthSettings disabled() {
        return new BandwidthSettings(BandwidthRequirement.ofMbps(3, BandwidthPolicy.OFF), false,
                new Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 16),
                new Monitor(false, Duration.ofSeconds(1), Duration.ofSeconds(5), 0), Duration.ofMinutes(2), "bwtoken", 20);
    }
}
