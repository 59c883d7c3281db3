package fluxrelay.config;

/**
 * Connection caps shared by the listeners ({@code relay.limits}); 0 means no cap.
 *
 * @param maxConnections most connections open at once
 * @param maxConnectionsPerIp most connections open at once from one IP
 */
public record LimitsConfig(int maxConnections, int maxConnectionsPerIp) {
}
