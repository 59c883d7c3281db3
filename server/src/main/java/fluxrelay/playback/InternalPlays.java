package fluxrelay.playback;

import fluxrelay.stream.FeedId;
import java.util.Map;
import java.util.Optional;

/**
 * Admits the plays other nodes of a cluster make to pull a feed from this node (its origin): on the application
 * {@link #APP}, with a play name signed with the cluster's secret. Such a play is not a viewer: no capacity or
 * bandwidth rule applies to it, and it never works without a valid signature.
 */
@FunctionalInterface
public interface InternalPlays {

    /** The RTMP application internal pulls connect to. */
    String APP = "_cluster";

    /** No cluster: no internal play is ever admitted. */
    InternalPlays NONE = (name, query, from) -> Optional.empty();

    /**
     * The feed a signed play may read, or empty (logged with {@code from}) when the signature is missing, forged,
     * expired or for another feed.
     *
     * @param name the play's stream name without its query
     * @param query the decoded query parameters of the play name
     * @param from who asks, for the log
     */
    Optional<FeedId> admit(String name, Map<String, String> query, String from);
}
