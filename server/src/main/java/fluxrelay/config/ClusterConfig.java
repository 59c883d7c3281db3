package fluxrelay.config;

import java.time.Duration;

/**
 * Several nodes serving one event through a shared Redis ({@code relay.cluster}). When {@code enabled} is false
 * nothing else here is used and no Redis is needed.
 *
 * @param enabled whether this node is part of a cluster
 * @param nodeId this node's id, unique in the cluster (the host name unless configured)
 * @param advertiseHost the host other nodes reach this node on (the host name unless configured)
 * @param redisUri the Redis URI ({@code redis://} or {@code rediss://}), possibly with a password
 * @param redisPassword the Redis password when the URI carries none; empty for none
 * @param secret shared by the nodes only, signs their internal connections (at least 32 characters when enabled)
 * @param heartbeatInterval how often the node writes its heartbeat; three missed make it gone
 * @param leaseTtl how long a room's origin lease lasts unless renewed
 * @param pullIdleTimeout how long a pull from the origin outlives its node's last local viewer
 * @param hlsCacheBytes most bytes of another node's HLS segments and parts an edge keeps (LRU, for their max-age)
 * @param revocationTtl how long the cluster keeps an attendee revocation made without an end ({@code until})
 * @param hlsStaleGrace how long after relaying a playlist an edge may answer it while the room has no reachable origin
 * @param hlsPositionTtl how long a room's recorded HLS numbering outlives its last segment (a new origin goes on from it)
 */
public record ClusterConfig(boolean enabled, String nodeId, String advertiseHost, String redisUri, String redisPassword,
                            String secret, Duration heartbeatInterval, Duration leaseTtl, Duration pullIdleTimeout,
                            long hlsCacheBytes, Duration revocationTtl, Duration hlsStaleGrace, Duration hlsPositionTtl) {

    /** The edge's HLS cache when none is configured. */
    public static final long DEFAULT_HLS_CACHE_BYTES = 64L << 20;
    /** How long a revocation without an end is kept when nothing is configured. */
    public static final Duration DEFAULT_REVOCATION_TTL = Duration.ofHours(24);
    /** The edge's stale playlist grace when none is configured. */
    public static final Duration DEFAULT_HLS_STALE_GRACE = Duration.ofSeconds(12);
    /** The HLS numbering record's lifetime when none is configured. */
    public static final Duration DEFAULT_HLS_POSITION_TTL = Duration.ofMinutes(5);

    /** Without a revocation lifetime and the HLS failover durations: the defaults. */
    public ClusterConfig(boolean enabled, String nodeId, String advertiseHost, String redisUri, String redisPassword,
                         String secret, Duration heartbeatInterval, Duration leaseTtl, Duration pullIdleTimeout, long hlsCacheBytes) {
        this(enabled, nodeId, advertiseHost, redisUri, redisPassword, secret, heartbeatInterval, leaseTtl, pullIdleTimeout,
                hlsCacheBytes, DEFAULT_REVOCATION_TTL, DEFAULT_HLS_STALE_GRACE, DEFAULT_HLS_POSITION_TTL);
    }

    /** Without an HLS cache size: the default. */
    public ClusterConfig(boolean enabled, String nodeId, String advertiseHost, String redisUri, String redisPassword,
                         String secret, Duration heartbeatInterval, Duration leaseTtl, Duration pullIdleTimeout) {
        this(enabled, nodeId, advertiseHost, redisUri, redisPassword, secret, heartbeatInterval, leaseTtl, pullIdleTimeout,
                DEFAULT_HLS_CACHE_BYTES);
    }

    /** Clustering off, as the defaults have it (tests, the embedded demo). */
    public static ClusterConfig disabled() {
        return new ClusterConfig(false, "", "", "redis://127.0.0.1:6379", "", "", Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(30));
    }

    @Override
    public String toString() {
        return "ClusterConfig[enabled=" + enabled + ", nodeId=" + nodeId + ", advertiseHost=" + advertiseHost
                + ", redisUri=" + redactedUri() + ", redisPassword=" + (redisPassword.isEmpty() ? "none" : "***")
                + ", secret=" + (secret.isEmpty() ? "none" : "***") + ", heartbeatInterval=" + heartbeatInterval
                + ", leaseTtl=" + leaseTtl + ", pullIdleTimeout=" + pullIdleTimeout + ", revocationTtl=" + revocationTtl + "]";
    }

    /** The Redis URI without the password it may carry: what logs show. */
    public String redactedUri() {
        int at = redisUri.lastIndexOf('@');
        int scheme = redisUri.indexOf("://");
        return at < 0 || scheme < 0 || at < scheme ? redisUri : redisUri.substring(0, scheme + 3) + "***" + redisUri.substring(at);
    }
}
