package fluxrelay.playback;

import fluxrelay.stream.FeedId;
import java.util.Map;
import java.util.Optional;

/**
 * Admits the plays other nodes of a cluster make to pull a feed from this node (its origin), and the plays of this
 * node's own ladder processes: on the application {@link #APP}, with a play name signed with a secret. Such a play is
 * not a viewer: no capacity or bandwidth rule applies to it, and it never works without a valid signature.
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

    /**
     * True when a play admitted under {@code name} gets the room's own timestamps instead of a timeline starting at 0:
     * a ladder process publishes its renditions back with the timestamps it read, which must be the program's.
     */
    default boolean keepsTimestamps(String name) {
        return false;
    }

    /**
     * The plays {@code first} or {@code second} admits, each asked only for the names it knows; {@link #NONE} when both
     * are.
     *
     * @param owns which play names go to {@code second} (the others go to {@code first})
     */
    static InternalPlays either(InternalPlays first, InternalPlays second, java.util.function.Predicate<String> owns) {
        if (second == NONE) {
            return first;
        }
        if (first == NONE) {
            return second;
        }
        return new InternalPlays() {
            @Override
            public Optional<FeedId> admit(String name, Map<String, String> query, String from) {
                return owns.test(name) ? second.admit(name, query, from) : first.admit(name, query, from);
            }

            @Override
            public boolean keepsTimestamps(String name) {
                return owns.test(name) ? second.keepsTimestamps(name) : first.keepsTimestamps(name);
            }
        };
    }
}
