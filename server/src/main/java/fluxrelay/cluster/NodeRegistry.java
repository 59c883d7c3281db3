package fluxrelay.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's live nodes: this node writes its {@link NodeInfo} to {@code fluxrelay:node:{id}} every heartbeat
 * interval with an expiry of three intervals, so a node silent for three heartbeats disappears by itself; listing
 * reads every such key.
 */
public final class NodeRegistry implements AutoCloseable {

    /** Key prefix of the heartbeats. */
    public static final String PREFIX = "fluxrelay:node:";

    /** The figures a heartbeat carries, read on the cluster thread. */
    public interface Load {
        /** Viewers connected now. */
        long viewers();

        /** Bytes sent to viewers since start (all protocols). */
        long egressBytes();

        /** Rooms whose publisher this node holds. */
        int roomsOriginated();
    }

    private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final RedisLink redis;
    private final String nodeId;
    private final Duration interval;
    private final Load load;
    private final Clock clock;
    private final Instant upSince;
    private volatile NodeInfo.Address address;
    private volatile int known;
    private long lastBytes = -1;
    private long lastNanos;
    private ScheduledFuture<?> beat;

    /**
     * @param redis the node's connection
     * @param nodeId this node's id
     * @param interval the heartbeat interval
     * @param load where the heartbeat's figures come from
     * @param clock wall time for the timestamps
     */
    public NodeRegistry(RedisLink redis, String nodeId, Duration interval, Load load, Clock clock) {
        this.redis = redis;
        this.nodeId = nodeId;
        this.interval = interval;
        this.load = load;
        this.clock = clock;
        this.upSince = clock.instant();
    }

    /** Starts heartbeating as {@code address} (known once the listeners are bound). */
    public synchronized void start(NodeInfo.Address address) {
        this.address = address;
        beat = redis.tasks().scheduleAtFixedRate(this::heartbeat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** This node's id. */
    public String nodeId() {
        return nodeId;
    }

    /** The nodes seen at the last heartbeat (this one included when Redis answered). */
    public int knownNodes() {
        return known;
    }

    private void heartbeat() {
        NodeInfo info = current();
        String json;
        try {
            json = JSON.writeValueAsString(info);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        redis.call(c -> c.set(PREFIX + nodeId, json, SetArgs.Builder.px(interval.toMillis() * 3)))
                .thenCompose(ok -> list())
                .whenComplete((nodes, error) -> {
                    if (error == null) {
                        known = nodes.size();
                    } else {
                        log.debug("cluster: heartbeat not written: {}", error.getMessage());
                    }
                });
    }

    /** This node's figures now; the egress rate is over the time since the previous call. */
    private NodeInfo current() {
        long bytes = load.egressBytes();
        long now = System.nanoTime();
        double mbps = 0;
        if (lastBytes >= 0 && now > lastNanos) {
            mbps = (bytes - lastBytes) * 8.0 / ((now - lastNanos) / 1e9) / 1e6;
        }
        lastBytes = bytes;
        lastNanos = now;
        return new NodeInfo(nodeId, address, upSince.toString(), load.viewers(), Math.round(mbps * 100) / 100.0,
                load.roomsOriginated(), clock.instant().toString());
    }

    /** The live nodes, by id. */
    public CompletableFuture<List<NodeInfo>> list() {
        return keys(ScanCursor.INITIAL, new ArrayList<>()).thenCompose(keys -> {
            if (keys.isEmpty()) {
                return CompletableFuture.completedFuture(List.of());
            }
            return redis.call(c -> c.mget(keys.toArray(String[]::new))).thenApply(values -> {
                List<NodeInfo> nodes = new ArrayList<>();
                for (KeyValue<String, String> value : values) {
                    if (value.hasValue()) {
                        try {
                            nodes.add(JSON.readValue(value.getValue(), NodeInfo.class));
                        } catch (JsonProcessingException e) {
                            log.warn("cluster: heartbeat {} is not valid: {}", value.getKey(), e.getOriginalMessage());
                        }
                    }
                }
                nodes.sort(Comparator.comparing(NodeInfo::id));
                return nodes;
            });
        });
    }

    /** One live node by id (empty when it is gone or never was): where another node reaches it. */
    public CompletableFuture<java.util.Optional<NodeInfo>> find(String id) {
        return redis.call(c -> c.get(PREFIX + id)).thenApply(json -> {
            if (json == null) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(JSON.readValue(json, NodeInfo.class));
            } catch (JsonProcessingException e) {
                log.warn("cluster: heartbeat of {} is not valid: {}", id, e.getOriginalMessage());
                return java.util.Optional.empty();
            }
        });
    }

    private CompletableFuture<List<String>> keys(ScanCursor cursor, List<String> found) {
        return redis.call(c -> c.scan(cursor, ScanArgs.Builder.matches(PREFIX + "*").limit(1000))).thenCompose(page -> {
            found.addAll(((KeyScanCursor<String>) page).getKeys());
            return page.isFinished() ? CompletableFuture.completedFuture(found) : keys(page, found);
        });
    }

    /** Stops heartbeating and removes this node's key, so others see it gone at once. */
    @Override
    public synchronized void close() {
        if (beat != null) {
            beat.cancel(false);
            try {
                redis.call(c -> c.del(PREFIX + nodeId)).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("cluster: heartbeat key not removed: {}", e.toString());
            }
        }
    }
}
