package fluxrelay.ingest;

import fluxrelay.rooms.PublishRequest;
import fluxrelay.stream.FeedId;
import java.util.Optional;

/**
 * Admits the publishes this node's own processes make (a ladder's renditions, published back over loopback): a signed
 * stream name that names one rendition hub. Such a publish skips the room bindings, the platform's decision and the
 * attempt limiter, tells no webhook, and keeps its timestamps (they are the program's, read by an internal play).
 */
@FunctionalInterface
public interface InternalPublishes {

    /** No internal publish is ever admitted. */
    InternalPublishes NONE = request -> Optional.empty();

    /**
     * The rendition hub ({@link FeedId#rendition}) a signed publish feeds, or empty when {@code request} is not a valid
     * internal publish (it then goes the ordinary way, where an unknown name is refused).
     */
    Optional<FeedId> admit(PublishRequest request);
}
