package fluxrelay.cluster;

import fluxrelay.rooms.RoomLocator;
import fluxrelay.stream.FeedId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Where an edge sends a feed's HLS requests: the HTTP address ({@code host:port}) of the node holding the feed (the
 * room's main feed for its own URLs, an input for the input's URLs), from the publish lease
 * ({@link RedisRoomLocator}) and that node's heartbeat ({@link NodeRegistry#find}), remembered for
 * {@link #FRESH_NANOS} so that a busy room costs no Redis round trip per request.
 */
public final class HlsOrigins {

    /** A node's HTTP address is used this long before it is read again. */
    static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(5);

    private record Known(String address, long atNanos) {
    }

    private final RedisRoomLocator locator;
    private final Function<String, CompletionStage<Optional<NodeInfo>>> nodes;
    private final Map<String, Known> addresses = new ConcurrentHashMap<>();

    /**
     * @param locator where each feed's publisher is
     * @param nodes a live node's heartbeat by id (as {@link NodeRegistry#find})
     */
    public HlsOrigins(RedisRoomLocator locator, Function<String, CompletionStage<Optional<NodeInfo>>> nodes) {
        this.locator = locator;
        this.nodes = nodes;
    }

    /**
     * Where {@code feed}'s HLS (a room's program or one of its inputs) is answered: empty when this node is its origin
     * (known at once); else the HTTP address of the origin when that is another live node, or empty when no node
     * originates the feed (this node answers, that it is not live), as soon as Redis has answered.
     */
    public Optional<CompletionStage<Optional<String>>> elsewhere(FeedId asked) {
        // A room's program is made where its inputs publish: the locator reads their leases.
        FeedId feed = asked;
        RoomLocator.Origin known = locator.locate(feed.room(), feed.feed());
        if (known instanceof RoomLocator.Origin.Here) {
            return Optional.empty();
        }
        // Not known, or known to be nowhere a moment ago: asked again, so that a room just started is found.
        CompletionStage<RoomLocator.Origin> origin = known instanceof RoomLocator.Origin.Elsewhere
                ? CompletableFuture.completedFuture(known) : locator.lookup(feed);
        return Optional.of(origin.thenCompose(found -> found instanceof RoomLocator.Origin.Elsewhere there
                ? address(there.nodeId()) : CompletableFuture.completedFuture(Optional.empty())));
    }

    private CompletionStage<Optional<String>> address(String nodeId) {
        Known known = addresses.get(nodeId);
        if (known != null && System.nanoTime() - known.atNanos() < FRESH_NANOS) {
            return CompletableFuture.completedFuture(Optional.of(known.address()));
        }
        return nodes.apply(nodeId).thenApply(info -> {
            if (info.isEmpty()) {
                addresses.remove(nodeId);
                return Optional.<String>empty();
            }
            NodeInfo.Address address = info.get().address();
            String hostPort = address.host() + ":" + address.httpPort();
            addresses.put(nodeId, new Known(hostPort, System.nanoTime()));
            return Optional.of(hostPort);
        });
    }
}
