package fluxrelay.cluster;

import fluxrelay.stream.FeedId;

/**
 * The Redis keys and value of a feed's publish lease. The room id is a hash tag ({@code {room}}), so the lease and
 * its epoch counter share a slot and one script may touch both on a Redis Cluster too.
 *
 * <p>The lease's value is {@code nodeId|host:port|epoch}: who publishes, where other nodes pull from, and the
 * fencing epoch, so finding a feed's origin needs one {@code GET}.
 */
final class LeaseKeys {

    private LeaseKeys() {
    }

    /** {@code fluxrelay:lease:{room}:feed}: the holder, with an expiry. */
    static String lease(FeedId feed) {
        return "fluxrelay:lease:{" + feed.room() + "}:" + part(feed);
    }

    /** {@code fluxrelay:epoch:{room}:feed}: the counter the epochs come from. */
    static String epoch(FeedId feed) {
        return "fluxrelay:epoch:{" + feed.room() + "}:" + part(feed);
    }

    /**
     * The feed's part of its keys: the input's id, or {@code program:{rendition}} for a rendition of the program (each
     * rendition stream name publishes on its own lease, so two of them never take each other's; no input id has a
     * colon).
     */
    static String part(FeedId feed) {
        return feed.isRendition() ? feed.feed() + ":" + feed.rendition() : feed.feed();
    }

    /** The lease value without its epoch: {@code nodeId|host:port}. */
    static String holder(NodeAddress node) {
        return node.nodeId() + "|" + node.rtmpAddress();
    }

    /** A lease value read back, or null when it is not one of ours. */
    static Holder parse(String value) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split("\\|");
        if (parts.length != 3) {
            return null;
        }
        try {
            return new Holder(parts[0], parts[1], Long.parseLong(parts[2]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A parsed lease value. */
    record Holder(String nodeId, String rtmpAddress, long epoch) {
    }
}
