package fluxrelay.cluster;

/** What the cluster reports for counting (metrics). Implementations are cheap and thread-safe. */
public interface ClusterEvents {

    /** Counts nothing. */
    ClusterEvents NONE = new ClusterEvents() {
    };

    /** A publish lease was renewed. */
    default void leaseRenewed() {
    }

    /** A publish lease was lost while its publication lived; the publication ends. */
    default void leaseLost() {
    }

    /** An edge began pulling a feed from its origin (each connection attempt that got the play started). */
    default void pullStarted() {
    }

    /** A pull attempt failed: the origin could not be reached, refused the play, or went away. */
    default void pullFailed() {
    }

    /** The first keyframe of a pull arrived this long after the edge asked for the feed. */
    default void pullFirstKeyframe(long nanos) {
    }
}
