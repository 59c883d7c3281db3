package fluxrelay.playback;

import fluxrelay.stream.FeedId;

/**
 * Brings a feed to this node when a viewer is admitted and no local publisher is on: in a cluster, a pull from the
 * node that publishes it (its origin); on a single node there is nowhere else to look.
 *
 * <p>Called on the viewer's thread (an event loop): implementations return at once and work in the background.
 */
@FunctionalInterface
public interface FeedSources {

    /** A single node: viewers wait in the hub for a local publisher. */
    FeedSources LOCAL = feed -> { };

    /** A viewer of {@code feed} was admitted while no local publisher is on; idempotent and cheap. */
    void demand(FeedId feed);
}
