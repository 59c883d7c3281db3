package fluxrelay;

import fluxrelay.admin.BandwidthChoice;
import fluxrelay.admin.RoomAdmin;
import fluxrelay.admin.RoomSpec;
import fluxrelay.admin.RoomsFile;
import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.bandwidth.SegmentClients;
import fluxrelay.config.BandwidthConfig;
import fluxrelay.config.ConfigException;
import fluxrelay.config.ConfigLoader;
import fluxrelay.config.PartialMessagesConfig;
import fluxrelay.config.RelayConfig;
import fluxrelay.config.RtmpConfig;
import fluxrelay.config.StreamConfig;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.FlushPolicy;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.hooks.Webhooks;
import fluxrelay.http.AdminRateLimiter;
import fluxrelay.http.AdminRoute;
import fluxrelay.config.HlsConfig;
import fluxrelay.hls.DirectorySettings;
import fluxrelay.hls.HlsPackager;
import fluxrelay.hls.HlsRenditions;
import fluxrelay.hls.PackagerSettings;
import fluxrelay.http.BandwidthProbeRoute;
import fluxrelay.http.HealthRoute;
import fluxrelay.http.HlsBandwidth;
import fluxrelay.http.HlsRoute;
import fluxrelay.http.HttpRoute;
import fluxrelay.http.HttpFlvRoute;
import fluxrelay.http.HttpServer;
import fluxrelay.http.MetricsRoute;
import fluxrelay.metrics.BandwidthMetrics;
import fluxrelay.metrics.EgressMetrics;
import fluxrelay.metrics.RelayMetrics;
import fluxrelay.metrics.SessionMetrics;
import fluxrelay.metrics.StreamMetrics;
import fluxrelay.netty.ConnectionLimiter;
import fluxrelay.netty.ConnectionTracker;
import fluxrelay.metrics.HlsMetrics;
import fluxrelay.metrics.LimitMetrics;
import fluxrelay.ingest.IngestService;
import fluxrelay.ingest.LocalRoomLocator;
import fluxrelay.ingest.PublishAttemptLimiter;
import fluxrelay.ingest.PublishLeases;
import fluxrelay.playback.FeedSources;
import fluxrelay.playback.InternalPlays;
import fluxrelay.playback.PlaybackService;
import fluxrelay.rooms.Feed;
import fluxrelay.metrics.PartialMessageMetrics;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.PublishAuthorizer;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.chunk.ReassemblyBudget;
import fluxrelay.rtmp.handshake.HandshakeLimits;
import fluxrelay.rtmp.server.RtmpServer;
import fluxrelay.rtmp.session.SessionContext;
import fluxrelay.rtmp.session.SessionEvents;
import fluxrelay.rtmp.session.SessionSettings;
import fluxrelay.stream.IngestPolicy;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.internal.PlatformDependent;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: loads the configuration, builds every component with plain constructors,
 * starts the RTMP and HTTP listeners, drains and stops them again.
 *
 * <p>Started as {@code java -jar server/target/relay-server.jar [--config FILE]}.
 */
public final class RelayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);

    private final RelayConfig config;
    private final Transport transport = Transport.best();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService disk;
    private final InMemoryRoomRegistry rooms;
    private final StreamRegistry streams;
    private final RelayMetrics metrics;
    private final Webhooks webhooks;
    private final HlsPackager hls;
    private final BandwidthRegistry bandwidth;
    private final RtmpServer rtmpServer;
    private final HttpServer httpServer;
    /** The cluster's part, or null for a single node. */
    private final Clustering cluster;
    private volatile boolean ready;
    private volatile boolean closed;

    public RelayServer(RelayConfig config) {
        this.config = config;
        RtmpConfig rtmp = config.rtmp();
        StreamConfig stream = config.stream();
        // Read the rooms file first: a corrupt one stops the start before any thread exists.
        RoomsFile roomsFile = config.admin().roomsFile().isEmpty() ? null : new RoomsFile(Path.of(config.admin().roomsFile()));
        RoomsFile.Content persisted = roomsFile == null ? null : roomsFile.load();
        boss = transport.newGroup(1);
        workers = transport.newGroup(rtmp.eventLoopThreads());
        disk = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "disk");
            thread.setDaemon(true);
            return thread;
        });
        rooms = new InMemoryRoomRegistry(initialRooms(config, persisted));
        streams = new StreamRegistry(new StreamLimits(stream.gopCache().maxBytes(), stream.gopCache().maxFrames()));

        ConnectionTracker rtmpConnections = new ConnectionTracker("rtmp");
        ConnectionTracker httpConnections = new ConnectionTracker("http");
        EgressCounters rtmpEgress = new EgressCounters("rtmp");
        EgressCounters flvEgress = new EgressCounters("http-flv");
        metrics = new RelayMetrics(workers, List.of(rtmpConnections, httpConnections));
        SessionMetrics sessionMetrics = new SessionMetrics(metrics.registry());
        metrics.bind(new EgressMetrics(List.of(rtmpEgress, flvEgress)));
        metrics.bind(new StreamMetrics(streams, config.operations().maxRoomLabels()));

        var policy = config.ingestPolicy();
        IngestPolicy ingestPolicy = new IngestPolicy(policy.maxWidth(), policy.maxHeight(), policy.maxFrameRate(),
                policy.recommendedMinVideoKbps(), policy.recommendedMaxVideoKbps(), policy.strict());
        ViewerLimits viewerLimits = new ViewerLimits(stream.viewerMaxQueuedBytes(), stream.viewerMaxLag(),
                new FlushPolicy(stream.flush().interval(), stream.flush().intervalMax(), stream.flush().perSecond()));
        RtmpConfig.Session session = rtmp.session();
        SessionSettings settings = new SessionSettings(session.chunkSize(), session.windowAckSize(), session.peerBandwidth(),
                session.publisherIdleTimeout(), session.idleConnectionTimeout(), session.maxStreamsPerConnection(),
                stream.viewerIdleTimeout());
        SslContext tls = TlsContexts.server(config.tls());
        ConnectionLimiter limiter = new ConnectionLimiter(config.limits().maxConnections(), config.limits().maxConnectionsPerIp());
        metrics.bind(new LimitMetrics(limiter));
        PartialMessagesConfig partial = rtmp.partialMessages();
        ReassemblyBudget reassembly = reassemblyBudget(partial, PlatformDependent.maxDirectMemory());
        metrics.bind(new PartialMessageMetrics(new PartialMessageMetrics.Budget(reassembly::reserved,
                reassembly::reservedUntrusted, reassembly::capacity, reassembly::untrustedCapacity,
                reassembly::connectionRefusals, reassembly::serverRefusals)));
        PublishAuthorizer authorizer = new PublishAuthorizer(rooms);
        webhooks = new Webhooks(config.webhooks(), authorizer, rooms);
        Map<String, BandwidthChoice> ownBandwidth = ownBandwidth(config, persisted);
        bandwidth = bandwidth(config.bandwidth(), ownBandwidth);
        metrics.bind(new BandwidthMetrics(bandwidth, config.operations().maxRoomLabels()));
        HlsConfig hlsConfig = config.hls();
        // An HLS client is forgotten after three playlist windows without a segment (it has left or fallen off).
        long hlsIdleSeconds = Math.max(30, 3L * hlsConfig.window() * hlsConfig.targetDuration().toSeconds());
        SegmentClients segmentClients = hlsConfig.enabled() ? new SegmentClients(bandwidth, hlsIdleSeconds) : null;
        ChunkLimits chunkLimits = new ChunkLimits(rtmp.chunks().maxIncomingChunkSize(), rtmp.chunks().maxMessageLength(),
                rtmp.chunks().maxChunkStreams(), partial.perConnectionBeforePublish(), partial.perConnectionPublishing());
        AmfLimits amfLimits = new AmfLimits(rtmp.amf().maxDepth(), rtmp.amf().maxStringLength(), rtmp.amf().maxElements());
        RtmpServer[] bound = new RtmpServer[1];
        cluster = config.cluster().enabled() ? new Clustering(config.cluster(), () -> bound[0].port(), streams, workers,
                transport.socketChannel(), session.publisherTakeoverAfter(), chunkLimits, amfLimits, metrics.registry()) : null;
        IngestService ingest = new IngestService(rooms, webhooks,
                new PublishAttemptLimiter(rtmp.publishFailures().perWindow(), rtmp.publishFailures().window()), streams, webhooks,
                sessionMetrics::publishRefused, new IngestService.Settings(ingestPolicy, session.publisherTakeoverAfter()),
                cluster == null ? PublishLeases.SINGLE_NODE : cluster.leases);
        PlaybackService playback = new PlaybackService(rooms, streams, bandwidth, segmentClients, stream.maxViewersPerRoom(),
                cluster == null ? FeedSources.LOCAL : cluster.pulls, cluster == null ? InternalPlays.NONE : cluster.signature);
        SessionEvents sessionEvents = new SessionEvents() {
            @Override
            public void handshakeFailed(String reason) {
                sessionMetrics.handshakeFailed(reason);
            }

            @Override
            public void protocolError() {
                sessionMetrics.protocolError();
            }
        };
        SessionContext sessionContext = new SessionContext(ingest, playback, settings, viewerLimits, rtmpEgress, sessionEvents,
                webhooks, bandwidth);
        rtmpServer = new RtmpServer(
                new RtmpServer.Settings(rtmp.host(), rtmp.port(), rtmp.writeBuffer().lowWaterMark(),
                        rtmp.writeBuffer().highWaterMark(), config.tls().rtmpsPort()),
                boss, workers, transport.serverChannel(), new HandshakeLimits(rtmp.handshakeTimeout(), false), chunkLimits,
                reassembly, amfLimits, sessionContext, rtmpConnections, limiter, tls);
        bound[0] = rtmpServer;

        hls = hlsConfig.enabled() ? newHlsPackager(hlsConfig) : null;
        RoomAdmin admin = new RoomAdmin(rooms, streams,
                cluster == null ? new LocalRoomLocator(streams) : cluster.locator, roomsFile, disk, room -> {
            if (hls != null) {
                hls.attach(streamFor(room), hlsRenditions(room));
            }
        }, config.admin().maxRooms(), bandwidth, ownBandwidth);
        if (persisted != null) {
            admin.restoreDeleted(persisted.deleted());
        }
        List<HttpRoute> routes = new ArrayList<>(List.of(new HealthRoute(() -> ready), new MetricsRoute(metrics::scrape),
                new AdminRoute(admin, config.admin().token(), new AdminRateLimiter(config.admin().rateLimitPerMinute())),
                new BandwidthProbeRoute(rooms, bandwidth),
                new HttpFlvRoute(playback, viewerLimits, flvEgress, () -> ready, webhooks, bandwidth)));
        if (hls != null) {
            workers.next().scheduleAtFixedRate(segmentClients::expire, hlsIdleSeconds, Math.max(1, hlsIdleSeconds / 4),
                    TimeUnit.SECONDS);
            HlsRoute hlsRoute = new HlsRoute(playback, hls, new HlsRoute.Caching(hlsConfig.playlistMaxAge(), hlsConfig.segmentMaxAge()),
                    new HlsBandwidth(bandwidth, segmentClients, config.bandwidth().tokens().hlsTtl()));
            routes.add(hlsRoute);
            metrics.bind(new HlsMetrics(hls, new HlsMetrics.Served(hlsRoute::playlistRequests, hlsRoute::segmentRequests,
                    hlsRoute::segmentBytes)));
        }
        var http = config.http();
        httpServer = new HttpServer(new HttpServer.Settings(http.host(), http.port(), http.maxInitialLineLength(),
                http.maxHeaderSize(), http.maxContentLength(), rtmp.writeBuffer().lowWaterMark(), rtmp.writeBuffer().highWaterMark(),
                http.requestTimeout().toMillis(), http.idleTimeout().toMillis(), config.tls().httpsPort()),
                boss, workers, transport.serverChannel(),
                routes,
                httpConnections, limiter, tls);
    }

    /**
     * The server-wide budget for partly received RTMP messages: a share of the JVM's direct memory limit, the
     * configured part of it open to connections that have not published.
     */
    static ReassemblyBudget reassemblyBudget(PartialMessagesConfig c, long maxDirectMemory) {
        long capacity = Math.max(1, (long) (maxDirectMemory * c.serverShareOfDirectMemory()));
        ReassemblyBudget budget = new ReassemblyBudget(capacity, (long) (capacity * c.beforePublishShare()));
        log.info("partial RTMP messages may hold {} KiB in all, {} KiB before publishing ({} KiB direct memory limit)",
                capacity >> 10, budget.untrustedCapacity() >> 10, maxDirectMemory >> 10);
        if (capacity < c.perConnectionPublishing()) {
            log.warn("relay.rtmp.partial-messages: the server-wide budget ({} KiB) is below per-connection-publishing; "
                    + "raise -XX:MaxDirectMemorySize or server-share-of-direct-memory", capacity >> 10);
        }
        return budget;
    }

    private static HlsPackager newHlsPackager(HlsConfig c) {
        DirectorySettings directory = c.directory().isEmpty() ? null
                : new DirectorySettings(Path.of(c.directory()), c.directoryKeepSegments(), c.directoryMaxQueuedBytes());
        return new HlsPackager(new PackagerSettings(c.targetDuration(), c.window(), c.maxSegmentBytes(), c.threads(),
                c.fmp4(), c.partTarget()), directory,
                ByteBufAllocator.DEFAULT);
    }

    /** Config rooms, overlaid by the persisted ones (which win by id), minus rooms deleted at runtime. */
    private static List<Room> initialRooms(RelayConfig config, RoomsFile.Content persisted) {
        Map<String, Room> byId = new LinkedHashMap<>();
        config.rooms().forEach(r -> byId.put(r.id(), new Room(r.id(), r.title(), r.app(),
                r.inputs().stream().map(i -> new Feed(i.id(), i.streamName())).toList(), r.autoLive())));
        if (persisted != null) {
            persisted.deleted().forEach(byId::remove);
            for (RoomSpec spec : persisted.rooms()) {
                List<Feed> feeds = spec.inputs() == null ? List.of(new Feed(Feed.MAIN, spec.streamName()))
                        : spec.inputs().stream().map(i -> new Feed(i.id(), i.streamName())).toList();
                byId.put(spec.id(), new Room(spec.id(), spec.title(), spec.app() == null ? "live" : spec.app(), feeds,
                        spec.autoLive() == null || spec.autoLive()));
            }
        }
        return new ArrayList<>(byId.values());
    }

    /** The room's HLS renditions: its own {@code hls} key when configured, else the {@code relay.hls.fmp4} default. */
    private HlsRenditions hlsRenditions(Room room) {
        return config.rooms().stream().filter(r -> r.id().equals(room.id()) && r.hls() != null).findFirst()
                .map(r -> switch (r.hls()) {
                    case BOTH -> HlsRenditions.BOTH;
                    case TS -> HlsRenditions.TS;
                    case FMP4 -> HlsRenditions.FMP4;
                })
                .orElse(config.hls().fmp4() ? HlsRenditions.BOTH : HlsRenditions.TS);
    }

    /** Each room's own bandwidth settings: the config file's, overlaid field by field by the rooms file's. */
    private static Map<String, BandwidthChoice> ownBandwidth(RelayConfig config, RoomsFile.Content persisted) {
        Map<String, BandwidthChoice> own = new HashMap<>();
        config.rooms().forEach(r -> own.put(r.id(), new BandwidthChoice(r.requiredMbps(),
                r.bandwidthPolicy() == null ? null : r.bandwidthPolicy().label())));
        if (persisted != null) {
            persisted.deleted().forEach(own::remove);
            for (RoomSpec spec : persisted.rooms()) {
                BandwidthChoice given = spec.bandwidth();
                try {
                    given.requirement(BandwidthRequirement.ofMbps(1, BandwidthPolicy.OFF));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("rooms file: room '" + spec.id() + "' has invalid bandwidth settings ("
                            + e.getMessage() + "); fix or remove them to start", e);
                }
                own.put(spec.id(), given.over(own.getOrDefault(spec.id(), BandwidthChoice.NONE)));
            }
        }
        own.values().removeIf(BandwidthChoice::isEmpty);
        return own;
    }

    private LiveStream streamFor(Room room) {
        return streams.stream(room.id(), room.autoLive());
    }

    private static BandwidthRegistry bandwidth(BandwidthConfig b, Map<String, BandwidthChoice> ownBandwidth) {
        BandwidthRequirement defaults = BandwidthRequirement.ofMbps(b.requiredMbps(), policy(b.policy()));
        BandwidthConfig.Probe probe = b.probe();
        BandwidthConfig.Monitor monitor = b.monitor();
        BandwidthSettings settings = new BandwidthSettings(defaults, b.rtmpDetectOnConnect(),
                new BandwidthSettings.Probe(probe.duration(), probe.minBytes(), probe.maxBytes(), probe.timeout(),
                        probe.maxConcurrent()),
                new BandwidthSettings.Monitor(monitor.enabled(), monitor.interval(), monitor.flagAfter(), monitor.unsentLimitBytes()),
                b.tokens().ttl(), b.tokens().parameter(), b.recentVerdicts());
        Map<String, BandwidthRequirement> overrides = new HashMap<>();
        ownBandwidth.forEach((id, own) -> overrides.put(id, own.requirement(defaults)));
        String given = b.tokens().secret();
        byte[] secret = given.isEmpty() ? ProbeTokens.randomSecret() : given.getBytes(StandardCharsets.UTF_8);
        return new BandwidthRegistry(settings, overrides, secret, Clock.systemUTC());
    }

    /** The bandwidth package's policy for the one the configuration names. */
    private static BandwidthPolicy policy(BandwidthConfig.Policy policy) {
        return switch (policy) {
            case ENFORCE -> BandwidthPolicy.ENFORCE;
            case WARN -> BandwidthPolicy.WARN;
            case OFF -> BandwidthPolicy.OFF;
        };
    }

    /** Binds both listeners. */
    public void start() throws InterruptedException {
        if (hls != null) {
            rooms.all().forEach(room -> hls.attach(streamFor(room), hlsRenditions(room)));
        }
        rtmpServer.start();
        httpServer.start();
        ready = true;
        log.info("fluxrelay started ({} transport, {} rooms)", transport.name(), rooms.all().size());
    }

    /** The bound RTMPS port, or -1 when RTMPS is off. */
    public int rtmpsPort() {
        return rtmpServer.tlsPort();
    }

    /** The bound HTTPS port, or -1 when HTTPS is off. */
    public int httpsPort() {
        return httpServer.tlsPort();
    }

    public int rtmpPort() {
        return rtmpServer.port();
    }

    public int httpPort() {
        return httpServer.port();
    }

    /** The room registry. */
    public InMemoryRoomRegistry rooms() {
        return rooms;
    }

    /** The stream hubs. */
    public StreamRegistry streams() {
        return streams;
    }

    /** The HLS packager (attach rooms added at runtime, read figures), or null when HLS is disabled. */
    public HlsPackager hls() {
        return hls;
    }

    /** The metrics registry. */
    public RelayMetrics metrics() {
        return metrics;
    }

    /**
     * The graceful stop a rolling update needs: stop accepting publishers and viewers (readiness goes down),
     * keep serving live rooms until their publishers leave or {@code drainTimeout} passes, then close.
     */
    public void drainAndClose(Duration drainTimeout) {
        ready = false;
        rtmpServer.stopAccepting();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        log.info("draining: no new connections; serving live rooms for up to {} s", drainTimeout.toSeconds());
        while (System.nanoTime() < deadline && streams.all().stream().anyMatch(s -> s.snapshot().publishing())) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /** Per-room bandwidth requirements, verdicts and viewer states ({@code snapshot(roomId)} for admin and metrics). */
    public BandwidthRegistry bandwidth() {
        return bandwidth;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        rtmpServer.close();
        streams.close();
        if (cluster != null) {
            cluster.close();
        }
        if (hls != null) {
            hls.close();
        }
        httpServer.close();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        disk.shutdown();
        try {
            disk.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
        webhooks.close();
        log.info("fluxrelay stopped");
    }

    /** The OBS settings and viewer URLs of the demo room, for the console. */
    String banner() {
        Room demo = config.demoRoom() == null ? null : rooms.findById(config.demoRoom().id()).orElse(null);
        return Banner.text(config.rtmp().host(), rtmpPort(), httpPort(), demo, hls != null);
    }

    public static void main(String[] args) {
        File configFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("--config needs a file");
                        System.exit(2);
                    }
                    configFile = new File(args[++i]);
                }
                case "--help", "-h" -> {
                    System.out.println("usage: java -jar relay-server.jar [--config FILE]\n"
                            + "  --config FILE  HOCON file overriding the defaults (see config/reference.conf)\n"
                            + "Environment: RELAY_RTMP_PORT, RELAY_HTTP_PORT, RELAY_DEMO_STREAM_NAME, RELAY_ADMIN_TOKEN, "
                            + "RELAY_ROOMS_FILE, or CONFIG_FORCE_relay_<path with _ for .>");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        RelayConfig config;
        RelayServer server;
        try {
            config = new ConfigLoader().load(configFile);
            server = new RelayServer(config);
        } catch (ConfigException | IllegalStateException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            server.start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.toString());
            server.close();
            System.exit(1);
            return;
        }
        Shutdown.onTerminate(() -> server.drainAndClose(config.operations().drainTimeout()));
        System.out.println(server.banner());
    }
}
