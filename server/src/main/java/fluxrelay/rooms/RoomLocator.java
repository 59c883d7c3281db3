package fluxrelay.rooms;

/**
 * Answers "which node has this feed's publisher?". On a single node the answer is here or nowhere; a cluster
 * answers from its shared store, so that a viewer's node knows where to pull the feed from.
 */
public interface RoomLocator {

    /** Where a feed's publisher is. */
    sealed interface Origin {
        /** On this node. */
        record Here() implements Origin {
        }

        /** On another node, reachable at {@code address}. */
        record Elsewhere(String nodeId, String address) implements Origin {
        }

        /** No node has a publisher for the feed now. */
        record Nowhere() implements Origin {
        }
    }

    /** Where the publisher of {@code feedId} in room {@code roomId} is now. */
    Origin locate(String roomId, String feedId);
}
