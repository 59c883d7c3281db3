package fluxrelay.cluster;

/**
 * One node's heartbeat as other nodes and the admin API see it ({@code fluxrelay:node:{id}} in Redis).
 *
 * @param id the node id
 * @param address where other nodes reach it
 * @param upSince when it started (ISO-8601)
 * @param viewers viewers connected to it now (all protocols)
 * @param egressMbps what it sends to viewers, Mbit/s, over the last heartbeat interval
 * @param roomsOriginated rooms whose publisher it holds
 * @param lastHeartbeat when this was written (ISO-8601)
 */
public record NodeInfo(String id, Address address, String upSince, long viewers, double egressMbps, int roomsOriginated,
                       String lastHeartbeat) {

    /**
     * @param host the advertised host
     * @param rtmpPort its RTMP port
     * @param httpPort its HTTP port
     */
    public record Address(String host, int rtmpPort, int httpPort) {
    }
}
