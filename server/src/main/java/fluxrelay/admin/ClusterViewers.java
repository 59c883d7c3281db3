package fluxrelay.admin;

import java.util.Map;

/**
 * A room's viewers on every live node of a cluster (a node silent for three heartbeats is gone), for the room
 * views; the cluster's node registry implements it. Never waits on the shared store: other nodes' figures are
 * those of their last heartbeat.
 */
public interface ClusterViewers {

    /** This node's id: the origin node of the rooms published here. */
    String nodeId();

    /**
     * The room's viewers by node id, each by protocol ({@code rtmp}, {@code http-flv}, {@code hls}, {@code ll-hls})
     * with their {@code total}; every live node is listed, this one always. Other nodes' internal pulls are not viewers.
     */
    Map<String, Map<String, Integer>> byNode(String roomId);
}
