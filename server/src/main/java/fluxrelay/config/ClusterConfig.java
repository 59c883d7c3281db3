package fluxrelay.config;

import java.time.Duration;

/**
 * Clustering ({@code relay.cluster}): several nodes share rooms, publish leases and viewers through Redis. Off by
 * default; a single node needs none of it.
 *
 * @param enabled true to join a cluster; false is a single node with no Redis
 * @param nodeId this node's id, unique in the cluster
 * @param advertiseHost the host or address other nodes reach this node's RTMP port on
 * @param redisUri the Redis URI ({@code redis://}, {@code rediss://} for TLS, with a password when needed)
 * @param secret the shared secret that signs internal pulls between nodes
 * @param heartbeatInterval how often a node reports itself alive
 * @param leaseTtl how long a room's publish lease lives without renewal: after a node dies, another takes the room
 *     once it has passed
 * @param pullIdleTimeout an edge keeps pulling a room this long after its last local viewer leaves
 */
public record ClusterConfig(boolean enabled, String nodeId, String advertiseHost, String redisUri, String secret,
                            Duration heartbeatInterval, Duration leaseTtl, Duration pullIdleTimeout) {

    @Override
    public String toString() {
        return "ClusterConfig[enabled=" + enabled + ", nodeId=" + nodeId + ", advertiseHost=" + advertiseHost + "]";
    }
}
