package fluxrelay.rooms;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * Completes once {@link #locate} answers from an up-to-date lookup for each of the room's feeds named. A locator
     * that answers at once from a remembered lookup (a cluster's) otherwise says "nowhere" for a feed nobody asked about
     * lately; the admin API's room views wait for this first so that they name the origin the first time too. Completes
     * normally, also when the store cannot answer (the feed is then nowhere).
     */
    default CompletionStage<Void> refresh(String roomId, Collection<String> feedIds) {
        return CompletableFuture.completedFuture(null);
    }
}
