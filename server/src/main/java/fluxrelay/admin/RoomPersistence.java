package fluxrelay.admin;

import fluxrelay.rooms.Room;
import java.util.concurrent.CompletableFuture;

/**
 * Where the admin API's room changes are kept: the rooms file on a single node, a shared store in a cluster.
 * A change is confirmed to the operator only once its future completes; a future that fails leaves the rooms as
 * they were (an {@link AdminException} with status 503 says the store is unreachable).
 */
public interface RoomPersistence {

    /** Stores a room (created or changed) with its own bandwidth settings. */
    CompletableFuture<Void> save(Room room, BandwidthChoice own);

    /**
     * Stores a new room; a store shared by several nodes fails with a 409 {@link AdminException} when another node
     * created the same id first.
     */
    default CompletableFuture<Void> create(Room room, BandwidthChoice own) {
        return save(room, own);
    }

    /** Removes a room. */
    CompletableFuture<Void> delete(String id);

    /** The room's own bandwidth settings as stored ({@link BandwidthChoice#NONE} when it sets none). */
    BandwidthChoice own(String id);
}
