package fluxrelay;

import fluxrelay.access.Revocations;
import fluxrelay.cluster.ClusterEvents;
import fluxrelay.cluster.EdgePulls;
import fluxrelay.cluster.HlsOrigins;
import fluxrelay.cluster.HlsSignature;
import fluxrelay.cluster.NodeInfo;
import fluxrelay.cluster.NodeAddress;
import fluxrelay.cluster.PullSignature;
import fluxrelay.cluster.RedisLink;
import fluxrelay.cluster.RedisHlsPositions;
import fluxrelay.cluster.RedisPublishLeases;
import fluxrelay.cluster.RedisRevocations;
import fluxrelay.cluster.RedisRoomLocator;
import fluxrelay.config.ClusterConfig;
import fluxrelay.hls.HlsContinuity;
import fluxrelay.hls.HlsStart;
import fluxrelay.http.HlsForwarder;
import fluxrelay.ingest.PublishLeases;
import fluxrelay.metrics.ClusterPullMetrics;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.RoomRegistry;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.StreamRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's part of the object graph, built only when {@code relay.cluster.enabled}: over the node's one Redis
 * connection (shared with the room store and the heartbeats, so a node starts while Redis is down), the publish leases, the origin locator, the signature of internal pulls and the edge's pulls, with their metrics.
 */
final class Clustering implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Clustering.class);
    /** Most time a pull's connection to an origin may take (nodes are on one internal network). */
    private static final Duration PULL_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final ScheduledExecutorService scheduler;
    final RedisPublishLeases leases;
    final RedisRoomLocator locator;
    final PullSignature signature;
    final EdgePulls pulls;
    private final HlsSignature hlsSignature;
    private final String nodeId;
    private final long hlsCacheBytes;
    private final Duration hlsStaleGrace;
    /** Each room's HLS numbering, so that a node taking a room over from a dead origin goes on from it. */
    final RedisHlsPositions hlsPositions;

    /**
     * @param redis the node's Redis connection (started and closed by the caller)
     * @param rtmpPort the bound RTMP port, asked when a lease is taken (the listener binds after construction)
     * @param rooms the rooms this node has loaded: a program's origin is where one of its room's inputs publishes
     * @param pullLoops the event loops pulls from other nodes run on: the ingest loops when the server has them, as
     *     pulls are publishers into this node's hubs
     */
    Clustering(ClusterConfig config, RedisLink redis, IntSupplier rtmpPort, RoomRegistry rooms, StreamRegistry streams,
               EventLoopGroup pullLoops,
               Class<? extends Channel> socketChannel, Duration takeoverAfter, ChunkLimits chunkLimits, AmfLimits amfLimits,
               MeterRegistry registry) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cluster");
            thread.setDaemon(true);
            return thread;
        });
        EdgePulls[] edge = new EdgePulls[1];
        ClusterPullMetrics metrics = new ClusterPullMetrics(registry, () -> edge[0] == null ? 0 : edge[0].open());
        ClusterEvents events = new ClusterEvents() {
            @Override
            public void leaseRenewed() {
                metrics.leaseRenewed();
            }

            @Override
            public void leaseLost() {
                metrics.leaseLost();
            }

            @Override
            public void pullStarted() {
                metrics.pullStarted();
            }

            @Override
            public void pullFailed() {
                metrics.pullFailed();
            }

            @Override
            public void pullFirstKeyframe(long nanos) {
                metrics.pullFirstKeyframe(nanos);
            }
        };
        nodeId = config.nodeId();
        hlsSignature = new HlsSignature(config.secret().getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        hlsCacheBytes = config.hlsCacheBytes();
        hlsStaleGrace = config.hlsStaleGrace();
        hlsPositions = new RedisHlsPositions(redis, nodeId, config.hlsPositionTtl());
        leases = new RedisPublishLeases(redis,
                () -> new NodeAddress(nodeId, config.advertiseHost() + ":" + rtmpPort.getAsInt()), config.leaseTtl(), scheduler,
                events);
        locator = new RedisRoomLocator(redis, nodeId, room -> rooms.findById(room)
                .map(found -> found.feeds().stream().map(Feed::id).toList()).orElse(List.of()));
        signature = new PullSignature(config.secret().getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        pulls = new EdgePulls(streams, locator, signature, nodeId, pullLoops, socketChannel,
                new EdgePulls.Settings(config.pullIdleTimeout(), takeoverAfter, PULL_CONNECT_TIMEOUT, chunkLimits, amfLimits),
                events);
        edge[0] = pulls;
        log.info("cluster node {}: Redis at {}, lease {} s", nodeId, config.redactedUri(),
                config.leaseTtl().toMillis() / 1000.0);
    }

    /**
     * The cluster's attendee revocations kept in {@code redis}, applied to this node's {@code local} list as they are
     * announced and read again at each (re)connect. Build it before the link starts.
     */
    static RedisRevocations revocations(RedisLink redis, Revocations local, Duration keep) {
        return new RedisRevocations(redis, new RedisRevocations.Local() {
            @Override
            public void revoked(String attendee, Instant at) {
                if (!local.revoke(attendee, at)) {
                    log.warn("cluster: an attendee revoked on another node is not held here: relay.access.max-revocations is reached");
                }
            }

            @Override
            public void restored(String attendee) {
                local.restore(attendee);
            }

            @Override
            public void replaced(Map<String, Instant> all) {
                local.replaceAll(all);
            }
        }, keep, Clock.systemUTC());
    }

    /**
     * The edge's HLS: requests for rooms another node originates are answered by that node, signed by this one.
     *
     * @param nodes a live node's heartbeat by id (the node registry, built after this)
     */
    HlsForwarder hlsForwarder(Function<String, CompletionStage<Optional<NodeInfo>>> nodes) {
        HlsOrigins origins = new HlsOrigins(locator, nodes);
        return new HlsForwarder(origins::elsewhere, new HlsForwarder.Signer() {
            @Override
            public String sign(String path) {
                return hlsSignature.sign(nodeId, path);
            }

            @Override
            public Optional<String> refusal(String header, String path) {
                return hlsSignature.refusal(header, path);
            }
        }, hlsCacheBytes, hlsStaleGrace);
    }

    /**
     * The live quality renditions of the programs this node makes, for its heartbeat (so that edges know them): room id
     * to rendition id to the rate its encoder sends in bits per second (0 while not measured). Renditions this node
     * pulls from another are left out: only a room's origin reports them.
     */
    static Map<String, Map<String, Long>> renditionsMade(StreamRegistry streams) {
        Map<String, Map<String, Long>> made = new java.util.TreeMap<>();
        for (fluxrelay.stream.LiveStream hub : streams.all()) {
            if (!hub.feedId().isRendition() || hub.relayed()) {
                continue;
            }
            fluxrelay.stream.StreamSnapshot live = hub.snapshot();
            if (live.publishing()) {
                fluxrelay.stream.IngestSnapshot ingest = live.ingest();
                // The steady rate a rendition's need is reckoned from here too, so an edge moves viewers down alike.
                long bitsPerSecond = ingest == null ? 0
                        : Math.round(fluxrelay.bandwidth.RenditionNeed.steadyBitsPerSecond(ingest.recentKbps()));
                made.computeIfAbsent(hub.roomId(), room -> new java.util.TreeMap<>()).put(hub.feedId().rendition(), bitsPerSecond);
            }
        }
        return made;
    }

    /** The leases the ingest service asks: a grant also reads the feed's HLS numbering before the publish goes on. */
    PublishLeases publishLeases() {
        return hlsPositions.leases(leases);
    }

    /** The packager's side of {@link #hlsPositions}. */
    HlsContinuity hlsContinuity() {
        return new HlsContinuity() {
            @Override
            public Optional<HlsStart> start(FeedId feed, Rendition rendition) {
                return hlsPositions.start(feed, name(rendition))
                        .map(p -> new HlsStart(p.mediaSequence(), p.discontinuitySequence()));
            }

            @Override
            public void reached(FeedId feed, Rendition rendition, HlsStart next, String namePrefix) {
                hlsPositions.reached(feed, name(rendition),
                        new RedisHlsPositions.Position(next.mediaSequence(), next.discontinuitySequence()), namePrefix);
            }

            private String name(Rendition rendition) {
                return rendition == Rendition.TS ? "ts" : "fmp4";
            }
        };
    }

    @Override
    public void close() {
        pulls.close();
        leases.close();
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
