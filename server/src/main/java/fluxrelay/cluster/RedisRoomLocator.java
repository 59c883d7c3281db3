package fluxrelay.cluster;

import fluxrelay.rooms.RoomLocator;
import fluxrelay.stream.FeedId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Finds a feed's origin from its publish lease in Redis: the lease names the holding node and its internal RTMP
 * address ({@link LeaseKeys}). {@link #lookup} asks Redis; {@link #locate}, which callers on event loops and the
 * admin views use, answers at once from the last lookup (at most {@link #FRESH_NANOS} old) and refreshes it in the
 * background, so no caller ever waits on Redis.
 *
 * <p>A room's program has no lease of its own: it is made on the node where the room's inputs publish, so its origin
 * is the holder of the first of the room's inputs (in the room's order) that holds a lease, read in one {@code MGET}
 * (the keys share the room's hash slot). A room whose inputs are named {@code cam1} and {@code cam2} is found as well
 * as one with a {@code main} input.
 */
public final class RedisRoomLocator implements RoomLocator {

    /** A remembered answer is used this long before it is looked up again. */
    static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Known(Origin origin, long atNanos) {
    }

    private final RedisLink redis;
    private final String nodeId;
    private final Function<String, List<String>> inputsOf;
    private final Map<FeedId, Known> known = new ConcurrentHashMap<>();

    /**
     * @param redis the node's connection to the shared store
     * @param nodeId this node's id: a lease it holds is {@link Origin.Here}
     * @param inputsOf a room's input ids in the room's order (empty for a room this node does not know)
     */
    public RedisRoomLocator(RedisLink redis, String nodeId, Function<String, List<String>> inputsOf) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.inputsOf = inputsOf;
    }

    /**
     * Asks Redis where the feed's publisher is (for a room's program and its renditions: where its inputs publish);
     * completes with {@link Origin.Nowhere} when Redis cannot answer.
     */
    public CompletionStage<Origin> lookup(FeedId feed) {
        CompletableFuture<Origin> result = new CompletableFuture<>();
        CompletionStage<LeaseKeys.Holder> holder = !feed.isInput() ? programHolder(feed.room())
                : redis.call(c -> c.get(LeaseKeys.lease(feed))).thenApply(LeaseKeys::parse);
        holder.whenComplete((found, error) -> {
            Origin origin = error != null ? new Origin.Nowhere() : originOf(found);
            if (error == null) {
                known.put(feed, new Known(origin, System.nanoTime()));
            }
            result.complete(origin);
        });
        return result;
    }

    /** The lease holder of the room's first input that has one, or null when none publishes. */
    private CompletionStage<LeaseKeys.Holder> programHolder(String room) {
        List<String> inputs = inputsOf.apply(room);
        if (inputs.isEmpty()) {
            inputs = List.of(FeedId.MAIN);
        }
        String[] keys = inputs.stream().map(input -> LeaseKeys.lease(new FeedId(room, input))).toArray(String[]::new);
        return redis.call(c -> c.mget(keys)).thenApply(values -> values.stream()
                .map(value -> LeaseKeys.parse(value.getValueOrElse(null)))
                .filter(h -> h != null)
                .findFirst().orElse(null));
    }

    private Origin originOf(LeaseKeys.Holder holder) {
        if (holder == null) {
            return new Origin.Nowhere();
        }
        return holder.nodeId().equals(nodeId) ? new Origin.Here() : new Origin.Elsewhere(holder.nodeId(), holder.rtmpAddress());
    }

    /** Whether a remembered answer ({@code null}: none) must be looked up again at {@code nowNanos}. */
    private static boolean stale(Known last, long nowNanos) {
        return last == null || nowNanos - last.atNanos() > FRESH_NANOS;
    }

    @Override
    public CompletionStage<Void> refresh(String roomId, Collection<String> feedIds) {
        long now = System.nanoTime();
        CompletableFuture<?>[] lookups = feedIds.stream().map(id -> new FeedId(roomId, id))
                .filter(feed -> stale(known.get(feed), now))
                .map(feed -> lookup(feed).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(lookups);
    }

    @Override
    public Origin locate(String roomId, String feedId) {
        FeedId feed = new FeedId(roomId, feedId);
        Known last = known.get(feed);
        if (stale(last, System.nanoTime())) {
            lookup(feed);
        }
        if (known.size() > 10_000) {
            known.clear();
        }
        return last == null ? new Origin.Nowhere() : last.origin();
    }
}
