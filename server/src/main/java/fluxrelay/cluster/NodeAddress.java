package fluxrelay.cluster;

/**
 * A node as other nodes see it: its id and the {@code host:port} of its RTMP listener on the internal network.
 *
 * @param nodeId the node's id, unique in the cluster
 * @param rtmpAddress where other nodes pull from, {@code host:port}
 */
public record NodeAddress(String nodeId, String rtmpAddress) {

    public NodeAddress {
        if (nodeId.isEmpty() || nodeId.contains("|") || rtmpAddress.contains("|")) {
            throw new IllegalArgumentException("node id and address must be non-empty and free of '|'");
        }
    }
}
