package fluxrelay.cluster;

import fluxrelay.ingest.PublishLeases;
import fluxrelay.stream.FeedId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where each feed's HLS numbering stands, in Redis, so that a node taking a room over from a dead origin goes on
 * from it: a hash per feed ({@code fluxrelay:hls:{room}:feed}) with, per rendition ({@code ts}, {@code fmp4}), the
 * next media sequence number and the discontinuities before it, the segment name prefix of the packager that wrote
 * it and its node; written once per segment and expiring {@code ttl} after the last write.
 *
 * <p>Nothing here waits on Redis: writes are sent and forgotten (a lost write only makes a successor start from an
 * older position, which its discontinuity covers); the read happens when this node is granted a feed's lease
 * ({@link #leases}), before the publish is accepted, and the packager then reads the answer from memory.
 */
public final class RedisHlsPositions {

    private static final Logger log = LoggerFactory.getLogger(RedisHlsPositions.class);

    /** One rendition's position as stored. */
    public record Position(long mediaSequence, long discontinuitySequence) {
    }

    private record Loaded(Map<String, String> fields, long atNanos) {
    }

    private final RedisLink redis;
    private final String nodeId;
    private final long ttlMillis;
    private final Map<FeedId, Loaded> loaded = new ConcurrentHashMap<>();

    /**
     * @param redis the shared store
     * @param nodeId this node, written beside each position
     * @param ttl how long a position outlives its last write
     */
    public RedisHlsPositions(RedisLink redis, String nodeId, Duration ttl) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.ttlMillis = ttl.toMillis();
    }

    static String key(FeedId feed) {
        return "fluxrelay:hls:{" + feed.room() + "}:" + LeaseKeys.part(feed);
    }

    /**
     * Publish leases that read a feed's position when this node is granted the feed, before the publish goes on; a
     * read that fails leaves the publish numbering afresh.
     */
    public PublishLeases leases(PublishLeases granting) {
        // The room's program is packaged where an input publishes: its position is read with the input's.
        return feed -> granting.acquire(feed).thenCompose(acquisition -> acquisition instanceof PublishLeases.Acquisition.Granted
                ? load(feed).thenCompose(ignored -> load(FeedId.program(feed.room()))).handle((ignored, error) -> acquisition)
                : CompletableFuture.completedFuture(acquisition));
    }

    /** Reads the feed's position into memory (or forgets it when Redis has none). */
    CompletionStage<Void> load(FeedId feed) {
        return redis.call(c -> c.hgetall(key(feed))).thenAccept(fields -> {
            if (fields == null || fields.isEmpty()) {
                loaded.remove(feed);
            } else {
                loaded.put(feed, new Loaded(Map.copyOf(fields), System.nanoTime()));
            }
        }).whenComplete((ignored, error) -> {
            if (error != null) {
                log.debug("feed {}: HLS position not read: {}", feed, error.toString());
            }
        });
    }

    /**
     * The position of {@code rendition} ({@code ts} or {@code fmp4}) read at the feed's last lease grant, unless that
     * is older than the record's lifetime. The packager ignores a position it is already past (this node wrote it).
     */
    public Optional<Position> start(FeedId feed, String rendition) {
        Loaded last = loaded.get(feed);
        if (last == null || System.nanoTime() - last.atNanos() > ttlMillis * 1_000_000) {
            return Optional.empty();
        }
        try {
            String msn = last.fields().get(rendition + ".msn");
            String dsn = last.fields().get(rendition + ".dsn");
            return msn == null || dsn == null ? Optional.empty()
                    : Optional.of(new Position(Long.parseLong(msn), Long.parseLong(dsn)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Records where {@code rendition} of {@code feed} stands after a segment; sent, not awaited. */
    public void reached(FeedId feed, String rendition, Position next, String namePrefix) {
        Map<String, String> fields = new HashMap<>();
        fields.put(rendition + ".msn", Long.toString(next.mediaSequence()));
        fields.put(rendition + ".dsn", Long.toString(next.discontinuitySequence()));
        fields.put("prefix", namePrefix);
        fields.put("node", nodeId);
        fields.put("at", Long.toString(System.currentTimeMillis()));
        String key = key(feed);
        redis.call(c -> c.hset(key, fields)).thenCompose(ignored -> redis.call(c -> c.pexpire(key, ttlMillis)))
                .whenComplete((ignored, error) -> {
                    if (error != null) {
                        log.debug("feed {}: HLS position not recorded: {}", feed, error.toString());
                    }
                });
    }
}
