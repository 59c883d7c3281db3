package fluxrelay.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import fluxrelay.admin.ClusterViewers;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's live nodes: this node writes its {@link NodeInfo} to {@code fluxrelay:node:{id}} every heartbeat
 * interval with an expiry of three intervals, so a node silent for three heartbeats disappears by itself; listing
 * reads every such key. With each heartbeat it also writes its viewers of each room to {@code fluxrelay:viewers:{id}}
 * (same expiry) and reads the other live nodes' ones, so that the room views of any node show the cluster's viewers
 * ({@link ClusterViewers}) without asking Redis. Likewise {@code fluxrelay:renditions:{id}}: the quality renditions of
 * the programs this node makes, so that an edge knows a room's renditions (to admit their viewers, list them and move a
 * slow viewer down) before it pulls any ({@link #renditions}).
 */
public final class NodeRegistry implements ClusterViewers, AutoCloseable {

    /** Key prefix of the heartbeats. */
    public static final String PREFIX = "fluxrelay:node:";
    /** Key prefix of each node's viewers by room (JSON: room id to protocol to count). */
    public static final String VIEWERS = "fluxrelay:viewers:";
    /** A node's counts of a room it has no viewers of. */
    static final Map<String, Integer> NONE = zero();
    /** Key prefix of the renditions of the programs each node makes (JSON: room id to rendition id to bits/s). */
    public static final String RENDITIONS = "fluxrelay:renditions:";
    private static final TypeReference<Map<String, Map<String, Integer>>> BY_ROOM = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Map<String, Long>>> RENDITIONS_BY_ROOM = new TypeReference<>() {
    };

    /** The figures a heartbeat carries, read on the cluster thread. */
    public interface Load {
        /** Viewers connected now, of every protocol (other nodes' pulls are not viewers). */
        long viewers();

        /** Bytes sent to viewers since start (all protocols). */
        long egressBytes();

        /** Rooms whose publisher this node holds. */
        int roomsOriginated();

        /** This node's viewers of each room that has any, by protocol with a {@code total}. */
        default Map<String, Map<String, Integer>> roomViewers() {
            return Map.of();
        }

        /** This node's viewers of one room, by protocol with a {@code total}. */
        default Map<String, Integer> roomViewers(String roomId) {
            return roomViewers().getOrDefault(roomId, NONE);
        }

        /**
         * The live quality renditions of the programs this node makes (not those it pulls from another node): room id to
         * rendition id to the rate its encoder sends, video and audio, in bits per second (0 while not measured yet).
         */
        default Map<String, Map<String, Long>> renditions() {
            return Map.of();
        }
    }

    /**
     * The other live nodes' viewers as read at a heartbeat: room to node to counts, the live node ids, and the
     * renditions they make: room to rendition id to bits per second.
     */
    private record Others(Map<String, Map<String, Map<String, Integer>>> byRoom, List<String> nodes,
                          Map<String, Map<String, Long>> renditions, long atNanos) {
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
    private volatile Others others;

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

    /** The nodes seen at the last heartbeat (this one included when Redis answered). */
    public int knownNodes() {
        return known;
    }

    private void heartbeat() {
        NodeInfo info = current();
        String json;
        String viewers;
        String renditions;
        try {
            json = JSON.writeValueAsString(info);
            viewers = JSON.writeValueAsString(load.roomViewers());
            renditions = JSON.writeValueAsString(load.renditions());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        SetArgs expiry = SetArgs.Builder.px(interval.toMillis() * 3);
        redis.call(c -> c.set(PREFIX + nodeId, json, expiry))
                .thenCompose(ok -> redis.call(c -> c.set(VIEWERS + nodeId, viewers, expiry)))
                .thenCompose(ok -> redis.call(c -> c.set(RENDITIONS + nodeId, renditions, expiry)))
                .thenCompose(ok -> list())
                .thenCompose(nodes -> {
                    known = nodes.size();
                    return readOthers(nodes.stream().map(NodeInfo::id).filter(id -> !id.equals(nodeId)).toList());
                })
                .whenComplete((read, error) -> {
                    if (error == null) {
                        others = read;
                    } else {
                        log.debug("cluster: heartbeat not written: {}", error.getMessage());
                    }
                });
    }

    /** The viewers and renditions the live nodes {@code ids} wrote at their last heartbeat, in one {@code MGET}. */
    private CompletableFuture<Others> readOthers(List<String> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(new Others(Map.of(), ids, Map.of(), System.nanoTime()));
        }
        String[] keys = java.util.stream.Stream.concat(ids.stream().map(id -> VIEWERS + id), ids.stream().map(id -> RENDITIONS + id))
                .toArray(String[]::new);
        return redis.call(c -> c.mget(keys)).thenApply(values -> {
            Map<String, Map<String, Map<String, Integer>>> byRoom = new HashMap<>();
            Map<String, Map<String, Long>> renditions = new HashMap<>();
            for (KeyValue<String, String> value : values) {
                if (!value.hasValue()) {
                    continue;
                }
                boolean viewers = value.getKey().startsWith(VIEWERS);
                String node = value.getKey().substring(viewers ? VIEWERS.length() : RENDITIONS.length());
                try {
                    if (viewers) {
                        JSON.readValue(value.getValue(), BY_ROOM).forEach((room, counts) ->
                                byRoom.computeIfAbsent(room, r -> new HashMap<>()).put(node, counts));
                    } else {
                        // Only a room's origin reports its renditions; two during a takeover are merged.
                        JSON.readValue(value.getValue(), RENDITIONS_BY_ROOM).forEach((room, rates) ->
                                rates.forEach((id, rate) -> renditions.computeIfAbsent(room, r -> new HashMap<>())
                                        .merge(id, rate == null ? 0L : rate, Math::max)));
                    }
                } catch (JsonProcessingException e) {
                    log.warn("cluster: {} of node {} are not valid: {}", viewers ? "viewers" : "renditions", node,
                            e.getOriginalMessage());
                }
            }
            return new Others(byRoom, ids, renditions, System.nanoTime());
        });
    }

    /**
     * The quality renditions other live nodes make of {@code roomId}'s program, as they wrote them at their last
     * heartbeat: rendition id to the rate its encoder sends in bits per second (0 while not measured); empty when no
     * other node makes any, or without a heartbeat answered for three intervals (Redis away).
     */
    public Map<String, Long> renditions(String roomId) {
        Others read = others;
        if (read == null || System.nanoTime() - read.atNanos() > interval.toNanos() * 3) {
            return Map.of();
        }
        return java.util.Collections.unmodifiableMap(read.renditions().getOrDefault(roomId, Map.of()));
    }

    private static Map<String, Integer> zero() {
        Map<String, Integer> none = new java.util.LinkedHashMap<>();
        for (String protocol : List.of("rtmp", "http-flv", "hls", "ll-hls", "total")) {
            none.put(protocol, 0);
        }
        return java.util.Collections.unmodifiableMap(none);
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    /**
     * This node's viewers now, and those of the other nodes live at the last heartbeat as they wrote them; without a
     * heartbeat answered for three intervals (Redis away) only this node's.
     */
    @Override
    public Map<String, Map<String, Integer>> byNode(String roomId) {
        Map<String, Map<String, Integer>> out = new TreeMap<>();
        Others read = others;
        if (read != null && System.nanoTime() - read.atNanos() <= interval.toNanos() * 3) {
            Map<String, Map<String, Integer>> room = read.byRoom().getOrDefault(roomId, Map.of());
            for (String node : read.nodes()) {
                out.put(node, room.getOrDefault(node, NONE));
            }
        }
        out.put(nodeId, load.roomViewers(roomId));
        return out;
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
                redis.call(c -> c.del(PREFIX + nodeId, VIEWERS + nodeId, RENDITIONS + nodeId)).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("cluster: heartbeat key not removed: {}", e.toString());
            }
        }
    }
}
