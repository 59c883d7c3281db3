package fluxrelay.cluster;

import fluxrelay.rooms.RoomLocator;
import fluxrelay.stream.FeedId;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Finds a feed's origin from its publish lease in Redis: the lease names the holding node and its internal RTMP
 * address ({@link LeaseKeys}). {@link #lookup} asks Redis; {@link #locate}, which callers on event loops and the
 * admin views use, answers at once from the last lookup (at most {@link #FRESH_NANOS} old) and refreshes it in the
 * background, so no caller ever waits on Redis.
 */
public final class RedisRoomLocator implements RoomLocator {

    /** A remembered answer is used this long before it is looked up again. */
    static final long FRESH_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Known(Origin origin, long atNanos) {
    }

    private final RedisLink redis;
    private final String nodeId;
    private final Map<FeedId, Known> known = new ConcurrentHashMap<>();

    /**
     * @param redis the node's connection to the shared store
     * @param nodeId this node's id: a lease it holds is {@link Origin.Here}
     */
    public RedisRoomLocator(RedisLink redis, String nodeId) {
        this.redis = redis;
        this.nodeId = nodeId;
    }

    /** Asks Redis where the feed's publisher is; completes with {@link Origin.Nowhere} when Redis cannot answer. */
    public CompletionStage<Origin> lookup(FeedId feed) {
        CompletableFuture<Origin> result = new CompletableFuture<>();
        redis.call(c -> c.get(LeaseKeys.lease(feed))).whenComplete((value, error) -> {
            Origin origin = error != null ? new Origin.Nowhere() : originOf(LeaseKeys.parse(value));
            if (error == null) {
                known.put(feed, new Known(origin, System.nanoTime()));
            }
            result.complete(origin);
        });
        return result;
    }

    private Origin originOf(LeaseKeys.Holder holder) {
        if (holder == null) {
            return new Origin.Nowhere();
        }
        return holder.nodeId().equals(nodeId) ? new Origin.Here() : new Origin.Elsewhere(holder.nodeId(), holder.rtmpAddress());
    }

    @Override
    public Origin locate(String roomId, String feedId) {
        FeedId feed = new FeedId(roomId, feedId);
        Known last = known.get(feed);
        if (last == null || System.nanoTime() - last.atNanos() > FRESH_NANOS) {
            lookup(feed);
        }
        if (known.size() > 10_000) {
            known.clear();
        }
        return last == null ? new Origin.Nowhere() : last.origin();
    }
}
