package fluxrelay.ingest;

import fluxrelay.stream.FeedId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Who may publish a feed across nodes: the ingest service asks for the feed's lease before it claims the local
 * publisher slot, so that one encoder per feed publishes in the whole cluster, not only on one node. A single
 * node grants every request at once ({@link #SINGLE_NODE}); a cluster keeps leases in its shared store.
 *
 * <p>Protocol-neutral; implementations are thread-safe and never block the caller.
 */
public interface PublishLeases {

    /** A single node: every feed's lease is granted at once and never lost; the local slot alone decides. */
    PublishLeases SINGLE_NODE = feed -> CompletableFuture.completedFuture(new Acquisition.Granted(Lease.LOCAL));

    /**
     * Asks for a feed's lease. While another node holds it, the answer may wait (bounded, at most the lease's
     * lifetime) for it to expire: a dead origin's encoder reconnecting to this node then gets the feed.
     *
     * @return the outcome; never completes exceptionally
     */
    CompletionStage<Acquisition> acquire(FeedId feed);

    /** The answer to {@link #acquire}. */
    sealed interface Acquisition {

        /** This node may publish the feed while the lease lives; release it when the publish ends. */
        record Granted(Lease lease) implements Acquisition {
        }

        /** Another node publishes the feed (its lease was renewed while we waited). */
        record Held(String holder) implements Acquisition {
        }

        /** The shared store could not answer; {@code why} is for the log. */
        record Unavailable(String why) implements Acquisition {
        }
    }

    /** A held lease. Methods may be called from any thread. */
    interface Lease {

        /** The single node's lease: epoch 0, never lost, nothing to release. */
        Lease LOCAL = new Lease() {
            @Override
            public long epoch() {
                return 0;
            }

            @Override
            public void onLost(Runnable action) {
            }

            @Override
            public void release() {
            }
        };

        /** The fencing token: a later holder of the same feed always has a larger epoch. */
        long epoch();

        /**
         * Runs {@code action} once if the lease is lost while held (another node took the feed, or the lease could
         * not be renewed before it expired and was taken): the publication must end.
         */
        void onLost(Runnable action);

        /** Gives the lease back (idempotent); a lost lease's release does nothing. */
        void release();
    }
}
