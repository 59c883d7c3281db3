package fluxrelay;

import fluxrelay.cluster.ClusterEvents;
import fluxrelay.cluster.EdgePulls;
import fluxrelay.cluster.HlsOrigins;
import fluxrelay.cluster.HlsSignature;
import fluxrelay.cluster.NodeInfo;
import fluxrelay.cluster.NodeAddress;
import fluxrelay.cluster.PullSignature;
import fluxrelay.cluster.RedisHlsPositions;
import fluxrelay.cluster.RedisPublishLeases;
import fluxrelay.cluster.RedisRoomLocator;
import fluxrelay.config.ClusterConfig;
import fluxrelay.hls.HlsContinuity;
import fluxrelay.hls.HlsStart;
import fluxrelay.http.HlsForwarder;
import fluxrelay.ingest.PublishLeases;
import fluxrelay.metrics.ClusterPullMetrics;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.StreamRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
 * The cluster's part of the object graph, built only when {@code relay.cluster.enabled}: the Redis connection, the
 * publish leases, the origin locator, the signature of internal pulls and the edge's pulls, with their metrics.
 */
final class Clustering implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Clustering.class);
    /** Most time a pull's connection to an origin may take (nodes are on one internal network). */
    private static final Duration PULL_CONNECT_TIMEOUT = Duration.ofSeconds(3);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
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
     * @param rtmpPort the bound RTMP port, asked when a lease is taken (the listener binds after construction)
     */
    Clustering(ClusterConfig config, IntSupplier rtmpPort, StreamRegistry streams, EventLoopGroup workers,
               Class<? extends Channel> socketChannel, Duration takeoverAfter, ChunkLimits chunkLimits, AmfLimits amfLimits,
               MeterRegistry registry) {
        RedisURI uri = RedisURI.create(config.redisUri());
        uri.setTimeout(config.leaseTtl());
        if (!config.redisPassword().isEmpty() && !config.redisUri().contains("@")) {
            uri.setAuthentication(config.redisPassword().toCharArray());
        }
        client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.leaseTtl())).build());
        // Fails the start when Redis cannot be reached: a node that cannot hold leases must not take publishes.
        try {
            connection = client.connect();
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalStateException("relay.cluster.redis-uri: cannot reach Redis at " + uri.getHost() + ":" + uri.getPort()
                    + ": " + e.getMessage(), e);
        }
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
        hlsPositions = new RedisHlsPositions(connection.async(), nodeId, config.hlsPositionTtl());
        leases = new RedisPublishLeases(connection.async(),
                () -> new NodeAddress(nodeId, config.advertiseHost() + ":" + rtmpPort.getAsInt()), config.leaseTtl(), scheduler,
                events);
        locator = new RedisRoomLocator(connection.async(), nodeId);
        signature = new PullSignature(config.secret().getBytes(StandardCharsets.UTF_8), Clock.systemUTC());
        pulls = new EdgePulls(streams, locator, signature, nodeId, workers, socketChannel,
                new EdgePulls.Settings(config.pullIdleTimeout(), takeoverAfter, PULL_CONNECT_TIMEOUT, chunkLimits, amfLimits),
                events);
        edge[0] = pulls;
        log.info("cluster node {}: Redis at {}:{}, lease {} s", nodeId, uri.getHost(), uri.getPort(),
                config.leaseTtl().toMillis() / 1000.0);
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
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
