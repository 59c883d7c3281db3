package fluxrelay;

import fluxrelay.access.AccessPolicy;
import fluxrelay.admin.AccessAdmin;
import fluxrelay.admin.BandwidthChoice;
import fluxrelay.admin.AdminException;
import fluxrelay.admin.RoomAdmin;
import fluxrelay.admin.RoomEvents;
import fluxrelay.admin.RoomPersistence;
import fluxrelay.admin.RoomsFilePersistence;
import fluxrelay.admin.RoomsFile;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.SegmentClients;
import fluxrelay.cluster.NodeInfo;
import fluxrelay.cluster.NodeRegistry;
import fluxrelay.cluster.RedisLink;
import fluxrelay.cluster.RedisRoomStore;
import fluxrelay.cluster.RoomImport;
import fluxrelay.config.ClusterConfig;
import fluxrelay.config.PartialMessagesConfig;
import fluxrelay.config.RelayConfig;
import fluxrelay.config.RtmpConfig;
import fluxrelay.config.StreamConfig;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.FlushPolicy;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.hooks.Webhooks;
import fluxrelay.http.AdminAccess;
import fluxrelay.http.AdminRateLimiter;
import fluxrelay.http.AdminRoute;
import fluxrelay.config.HlsConfig;
import fluxrelay.hls.DirectorySettings;
import fluxrelay.hls.HlsContinuity;
import fluxrelay.hls.HlsPackager;
import fluxrelay.program.ProgramSwitches;
import fluxrelay.hls.HlsRenditions;
import fluxrelay.renditions.TrackRenditions;
import fluxrelay.rooms.RenditionInputs;
import fluxrelay.hls.PackagerSettings;
import fluxrelay.http.BandwidthProbeRoute;
import fluxrelay.http.HealthRoute;
import fluxrelay.http.HlsBandwidth;
import fluxrelay.http.HlsRoute;
import fluxrelay.http.HttpRoute;
import fluxrelay.http.HttpFlvRoute;
import fluxrelay.http.HttpServer;
import fluxrelay.http.IndexRoute;
import fluxrelay.http.MetricsRoute;
import fluxrelay.metrics.AccessMetrics;
import fluxrelay.metrics.BandwidthMetrics;
import fluxrelay.metrics.ClusterMetrics;
import fluxrelay.metrics.EgressMetrics;
import fluxrelay.metrics.RelayMetrics;
import fluxrelay.metrics.SessionMetrics;
import fluxrelay.metrics.StreamMetrics;
import fluxrelay.netty.ConnectionLimiter;
import fluxrelay.netty.ConnectionTracker;
import fluxrelay.netty.LoopHandover;
import fluxrelay.metrics.HlsMetrics;
import fluxrelay.metrics.LimitMetrics;
import fluxrelay.ingest.IngestService;
import fluxrelay.ingest.InternalPublishes;
import fluxrelay.ingest.LocalRoomLocator;
import fluxrelay.ingest.PublishAttemptLimiter;
import fluxrelay.ingest.PublishLeases;
import fluxrelay.playback.FeedSources;
import fluxrelay.playback.InternalPlays;
import fluxrelay.playback.PlaybackService;
import fluxrelay.rooms.ActivityListener;
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
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.internal.PlatformDependent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
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
    /** How long the close waits for each pool of threads to end. */
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final RelayConfig config;
    private final Transport transport;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /** The RTMP setup loops new connections are accepted onto, and their move to {@link #workers}. */
    private final LoopHandover handover;
    private final ExecutorService disk;
    private final InMemoryRoomRegistry rooms;
    private final StreamRegistry streams;
    private final RelayMetrics metrics;
    private final Webhooks webhooks;
    private final HlsPackager hls;
    private final Recordings recordings;
    /** The rooms admin: told at start which rooms record ({@link RoomAdmin#recordWith}). */
    private final RoomAdmin roomAdmin;
    private final ProgramSwitches programs;
    private final BandwidthRegistry bandwidth;
    private final RtmpServer rtmpServer;
    private final HttpServer httpServer;
    /** The cluster's Redis, store and heartbeat; all null unless {@code relay.cluster.enabled}. */
    private final RedisLink redis;
    private final RedisRoomStore clusterRooms;
    private final NodeRegistry nodes;
    /** The cluster's leases, origin lookup and pulls, or null for a single node. */
    private final Clustering clustering;
    /** The server-side ladder, or null when no room declares one. */
    private final Ladders ladders;
    private volatile boolean ready;
    /** Set when the drain (or the close) begins: new HLS players are refused, those playing are served. */
    private volatile boolean draining;
    private volatile boolean closed;

    public RelayServer(RelayConfig config) {
        this.config = config;
        transport = Transport.choose(config.transport());
        RtmpConfig rtmp = config.rtmp();
        StreamConfig stream = config.stream();
        // Read the rooms file first: a corrupt one stops the start before any thread exists.
        ClusterConfig cluster = config.cluster();
        RoomsFile roomsFile = config.admin().roomsFile().isEmpty() || cluster.enabled() ? null
                : new RoomsFile(Path.of(config.admin().roomsFile()));
        RoomsFile.Content persisted = roomsFile == null ? null : roomsFile.load();
        List<Room> initialRooms = StartingRooms.of(config, persisted);
        StartingRooms.checkStreamNames(initialRooms, persisted, roomsFile);
        boss = transport.newGroup(1);
        workers = transport.newGroup(rtmp.eventLoopThreads());
        if (rtmp.setupThreads() > 0 && !transport.movesChannels()) {
            log.info("relay.rtmp.setup-threads is not used with the {} transport: its connections cannot change loops",
                    transport.name());
        }
        boolean setupLoops = rtmp.setupThreads() > 0 && transport.movesChannels();
        if (rtmp.ingestThreads() > 0 && transport.movesChannels() && !setupLoops) {
            log.info("relay.rtmp.ingest-threads is not used without setup loops (relay.rtmp.setup-threads = 0): "
                    + "publishers stay on the event loops");
        }
        handover = LoopHandover.of(setupLoops ? transport.newGroup(rtmp.setupThreads()) : null, workers,
                setupLoops && rtmp.ingestThreads() > 0 ? transport.newGroup(rtmp.ingestThreads(), "ingest-loop") : null);
        disk = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "disk");
            thread.setDaemon(true);
            return thread;
        });
        long configured = config.rooms().stream().filter(r -> r != config.demoRoom()).count();
        if (cluster.enabled() && (configured > 0 || !config.admin().roomsFile().isEmpty())) {
            log.warn("cluster: rooms come from Redis; the {} configured rooms{} are not used (copy them once with --import-rooms)",
                    configured, config.admin().roomsFile().isEmpty() ? "" : " and the rooms file");
        }
        if (cluster.enabled() && config.demoRoom() != null) {
            log.info("cluster: the demo room is not used in a cluster; create rooms with the admin API");
        }
        // In a cluster this is the node's local copy of the shared rooms, filled from Redis at start.
        rooms = new InMemoryRoomRegistry(cluster.enabled() ? List.of() : initialRooms);
        // One Redis connection for the whole node; the start does not wait for Redis (the rooms load when it answers).
        redis = cluster.enabled() ? new RedisLink(cluster) : null;
        clusterRooms = redis == null ? null : new RedisRoomStore(redis, rooms);
        streams = new StreamRegistry(new StreamLimits(stream.gopCache().maxBytes(), stream.gopCache().maxFrames(),
                stream.maxTimestampJump()));
        // Each program's extra multitrack tracks become its renditions (adaptive bitrate).
        streams.onProgramCreated(program -> TrackRenditions.attach(program, streams));

        ConnectionTracker rtmpConnections = new ConnectionTracker("rtmp");
        ConnectionTracker httpConnections = new ConnectionTracker("http");
        EgressCounters rtmpEgress = new EgressCounters("rtmp");
        EgressCounters flvEgress = new EgressCounters("http-flv");
        List<EventLoopGroup> loopGroups = new ArrayList<>(List.of(workers));
        loopGroups.addAll(handover.ownGroups());
        metrics = new RelayMetrics(loopGroups,
                List.of(rtmpConnections, httpConnections));
        SessionMetrics sessionMetrics = new SessionMetrics(metrics.registry());
        metrics.bind(new EgressMetrics(List.of(rtmpEgress, flvEgress)));
        metrics.bind(new StreamMetrics(streams, config.operations().maxRoomLabels()));

        var policy = config.ingestPolicy();
        IngestPolicy ingestPolicy = new IngestPolicy(policy.maxWidth(), policy.maxHeight(), policy.maxFrameRate(),
                policy.recommendedMinVideoKbps(), policy.recommendedMaxVideoKbps(), policy.strict());
        ViewerLimits viewerLimits = new ViewerLimits(stream.viewerMaxQueuedBytes(), stream.viewerMaxLag(),
                FlushPolicy.of(stream.flush().interval(), stream.flush().intervalMax(), stream.flush().perSecond(),
                        stream.flush().writeMerge(), stream.flush().writeMergeSlots(), stream.flush().writeMergeBlockBytes(),
                        stream.flush().writeMergeMaxBlocks(), stream.flush().slots(), stream.flush().blockBytes(),
                        stream.flush().maxBlocks()));
        RtmpConfig.Session session = rtmp.session();
        SessionSettings settings = new SessionSettings(session.chunkSize(), session.windowAckSize(), session.peerBandwidth(),
                session.publisherIdleTimeout(), session.idleConnectionTimeout(), session.maxStreamsPerConnection(),
                stream.viewerIdleTimeout(), stream.publisherGapGrace());
        SslContext tls = TlsContexts.server(config.tls());
        ConnectionLimiter limiter = new ConnectionLimiter(config.limits().maxConnections(), config.limits().maxConnectionsPerIp());
        metrics.bind(new LimitMetrics(limiter));
        PartialMessagesConfig partial = rtmp.partialMessages();
        ReassemblyBudget reassembly = reassemblyBudget(partial, PlatformDependent.maxDirectMemory());
        metrics.bind(new PartialMessageMetrics(new PartialMessageMetrics.Budget(reassembly::reserved,
                reassembly::reservedUntrusted, reassembly::capacity, reassembly::untrustedCapacity,
                reassembly::connectionRefusals, reassembly::serverRefusals)));
        // The rooms' rendition stream names as they are now: the config file's, the rooms file's and the admin API's.
        RenditionInputs renditionInputs = RenditionInputs.of(rooms);
        RtmpServer[] bound = new RtmpServer[1];
        ladders = Ladders.create(config.rooms(), config.ladder(), rtmp.host(), () -> bound[0].port(), rooms, streams,
                renditionInputs, metrics, config.operations().maxRoomLabels());
        if (ladders != null) {
            streams.onProgramCreated(program -> {
                TrackRenditions.attach(program, streams);
                ladders.supervisor.attach(program);
            });
            streams.onRenditionCreated(ladders.supervisor::attachRendition);
        }
        PublishAuthorizer authorizer = new PublishAuthorizer(rooms, renditionInputs);
        webhooks = new Webhooks(config.webhooks(), authorizer, rooms);
        RoomEvents roomEvents = new RoomEvents(Clock.systemUTC());
        programs = Programs.create(config.program(), config.operations().maxRoomLabels(), streams, rooms, webhooks, roomEvents,
                metrics);
        Map<String, BandwidthChoice> ownBandwidth = cluster.enabled() ? Map.of() : ViewerPolicies.ownBandwidth(config, persisted);
        bandwidth = ViewerPolicies.bandwidth(config.bandwidth(), ownBandwidth, cluster.enabled() ? cluster.secret() : null);
        metrics.bind(new BandwidthMetrics(bandwidth, config.operations().maxRoomLabels()));
        AccessPolicy access = ViewerPolicies.access(config.access(), ownBandwidth);
        metrics.bind(new AccessMetrics(access));
        HlsConfig hlsConfig = config.hls();
        // An HLS client is forgotten after three playlist windows without a segment (it has left or fallen off).
        long hlsIdleSeconds = Math.max(30, 3L * hlsConfig.window() * hlsConfig.targetDuration().toSeconds());
        SegmentClients segmentClients = hlsConfig.enabled() ? new SegmentClients(bandwidth, hlsIdleSeconds) : null;
        ChunkLimits chunkLimits = new ChunkLimits(rtmp.chunks().maxIncomingChunkSize(), rtmp.chunks().maxMessageLength(),
                rtmp.chunks().maxChunkStreams(), partial.perConnectionBeforePublish(), partial.perConnectionPublishing());
        AmfLimits amfLimits = new AmfLimits(rtmp.amf().maxDepth(), rtmp.amf().maxStringLength(), rtmp.amf().maxElements());
        clustering = config.cluster().enabled() ? new Clustering(config.cluster(), redis, () -> bound[0].port(), rooms, streams,
                handover.ingestLoops() != null ? handover.ingestLoops() : workers,
                transport.socketChannel(), session.publisherTakeoverAfter(), chunkLimits, amfLimits, metrics.registry()) : null;
        IngestService ingest = new IngestService(clusterRooms == null ? rooms : clusterRooms,
                clusterRooms == null ? webhooks : clusterRooms.gate(webhooks),
                new PublishAttemptLimiter(rtmp.publishFailures().perWindow(), rtmp.publishFailures().window()), streams,
                ActivityListener.both(webhooks, roomEvents),
                sessionMetrics::publishRefused, new IngestService.Settings(ingestPolicy, session.publisherTakeoverAfter()),
                clustering == null ? PublishLeases.SINGLE_NODE : clustering.publishLeases(),
                ladders == null ? InternalPublishes.NONE : ladders.publishes());
        PlaybackService playback = new PlaybackService(rooms, streams, bandwidth, segmentClients, stream.maxViewersPerRoom(),
                clustering == null ? FeedSources.LOCAL : clustering.pulls, ladders == null
                ? (clustering == null ? InternalPlays.NONE : clustering.signature)
                : ladders.plays(clustering == null ? InternalPlays.NONE : clustering.signature),
                access, roomEvents::viewerRefused);
        playback.bindRenditions(renditionInputs);
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
                webhooks, bandwidth, handover);
        rtmpServer = new RtmpServer(
                new RtmpServer.Settings(rtmp.host(), rtmp.port(), rtmp.writeBuffer().lowWaterMark(),
                        rtmp.writeBuffer().highWaterMark(), config.tls().rtmpsPort()),
                boss, handover.acceptInto(), transport.serverChannel(), new HandshakeLimits(rtmp.handshakeTimeout(), false),
                chunkLimits, reassembly, amfLimits, sessionContext, rtmpConnections, limiter, tls);
        bound[0] = rtmpServer;

        hls = hlsConfig.enabled() ? newHlsPackager(hlsConfig, clustering == null ? HlsContinuity.NONE : clustering.hlsContinuity())
                : null;
        if (hls != null) {
            // Each quality rendition of a program is packaged as the program is, its segments lined up with the program's.
            streams.onRenditionCreated(hub -> hls.attach(hub, hlsRenditions(hub.roomId())));
        }
        recordings = Recordings.create(config, webhooks, metrics);
        HlsRoute hlsRoute = hls == null ? null : new HlsRoute(playback, hls,
                new HlsRoute.Caching(hlsConfig.playlistMaxAge(), hlsConfig.segmentMaxAge()),
                new HlsBandwidth(bandwidth, segmentClients, config.bandwidth().tokens().hlsTtl()), () -> !draining, Duration.ofSeconds(
                hlsIdleSeconds), clustering == null ? null : clustering.hlsForwarder(id -> RelayServer.this.nodes.find(id)),
                recordings == null ? null : recordings.dvr());
        RoomPersistence persistence;
        if (cluster.enabled()) {
            nodes = new NodeRegistry(redis, cluster.nodeId(), cluster.heartbeatInterval(),
                    nodeLoad(rtmpEgress, flvEgress, hlsRoute,
                    new NodeViewers(streams, hlsRoute == null ? null : hlsRoute.players())), Clock.systemUTC());
            playback.bindRenditionsElsewhere(nodes::renditions);
            ClusterMetrics clusterMetrics = new ClusterMetrics(nodes::knownNodes, redis::reachable);
            redis.observe(clusterMetrics::commandCompleted);
            metrics.bind(clusterMetrics);
            persistence = clusterRooms;
        } else {
            nodes = null;
            RoomsFilePersistence file = new RoomsFilePersistence(roomsFile, disk, rooms.all(), ownBandwidth);
            if (persisted != null) {
                file.restoreDeleted(persisted.deleted());
            }
            persistence = file;
        }
        RoomAdmin admin = new RoomAdmin(clusterRooms != null ? clusterRooms : rooms, streams,
                clustering == null ? new LocalRoomLocator(streams) : clustering.locator,
                persistence, room -> {
                    if (hls != null) {
                        attachHls(room);
                    }
                }, config.admin().maxRooms(), bandwidth, access, programs, config.program().switchWait());
        roomAdmin = admin;
        admin.recordEvents(roomEvents);
        if (ladders != null) {
            admin.showLadders(ladders::view);
            admin.onLadderChange(ladders::changed);
        }
        admin.tellInputChanges(webhooks);
        if (clusterRooms != null) {
            clusterRooms.onChange(admin::applyStored);
            admin.showClusterViewers(nodes);
        }
        List<HttpRoute> routes = new ArrayList<>(List.of(new HealthRoute(this::isReady,
                redis == null ? null : () -> redis.reachable() && clusterRooms.loaded()),
                new MetricsRoute(metrics::scrape),
                new AdminRoute(admin, config.admin().token(),
                        AdminAccess.of(config.admin().token(), config.http().host(), config.admin().allowedHosts()),
                        new AdminRateLimiter(config.admin().rateLimitPerMinute()),
                        new AdminRateLimiter(config.admin().authFailuresPerMinute(), config.admin().authFailuresPerMinute()),
                        nodes == null ? null : () -> nodes.list().thenApply(list -> Map.of("nodes", list))
                                .exceptionallyCompose(e -> CompletableFuture.failedFuture(
                                        AdminException.unavailable("the cluster store (Redis) is unreachable: nodes unknown"))),
                        new AccessAdmin(access.revocations(), redis == null ? null
                                : Clustering.revocations(redis, access.revocations(), cluster.revocationTtl()), Clock.systemUTC()),
                        recordings == null ? null : recordings.api()),
                new BandwidthProbeRoute(rooms, bandwidth),
                new IndexRoute(version(), this::rtmpPort, hls != null, config.web().enabled()),
                new HttpFlvRoute(playback, viewerLimits, flvEgress, () -> ready, webhooks, bandwidth)));
        routes.addAll(WebPages.routes(config.web(), admin, hls != null, playback.accessParameter(),
                bandwidth.settings().tokenParameter(), this::rtmpPort));
        if (hls != null) {
            workers.next().scheduleAtFixedRate(segmentClients::expire, hlsIdleSeconds, Math.max(1, hlsIdleSeconds / 4),
                    TimeUnit.SECONDS);
            routes.add(hlsRoute);
            metrics.bind(new HlsMetrics(hls, new HlsMetrics.Served(hlsRoute::playlistRequests, hlsRoute::segmentRequests,
                    hlsRoute::segmentBytes)));
        }
        if (recordings != null) {
            routes.add(recordings.route());
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
     * A cluster node's heartbeat figures: its RTMP and HTTP-FLV viewers, the bytes it sent to viewers, and the feeds
     * whose publish lease it holds (the rooms it is the origin of), and its viewers of each room.
     */
    private NodeRegistry.Load nodeLoad(EgressCounters rtmpEgress, EgressCounters flvEgress, HlsRoute hlsRoute,
                                       NodeViewers viewers) {
        return new NodeRegistry.Load() {
            @Override
            public long viewers() {
                return viewers.all().values().stream().mapToLong(counts -> counts.get("total")).sum();
            }

            @Override
            public long egressBytes() {
                return rtmpEgress.bytes() + flvEgress.bytes() + (hlsRoute == null ? 0 : hlsRoute.segmentBytes());
            }

            @Override
            public int roomsOriginated() {
                return clustering == null ? 0 : clustering.leases.held().size();
            }

            @Override
            public Map<String, Map<String, Integer>> roomViewers() {
                return viewers.all();
            }

            @Override
            public Map<String, Integer> roomViewers(String roomId) {
                return viewers.of(roomId);
            }

            @Override
            public Map<String, Map<String, Long>> renditions() {
                return Clustering.renditionsMade(streams);
            }
        };
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

    private static HlsPackager newHlsPackager(HlsConfig c, HlsContinuity continuity) {
        DirectorySettings directory = c.directory().isEmpty() ? null
                : new DirectorySettings(Path.of(c.directory()), c.directoryKeepSegments(), c.directoryMaxQueuedBytes());
        return new HlsPackager(new PackagerSettings(c.targetDuration(), c.window(), c.maxSegmentBytes(), c.threads(),
                c.fmp4(), c.partTarget()), directory,
                ByteBufAllocator.DEFAULT, continuity);
    }

    private HlsRenditions hlsRenditions(Room room) {
        return hlsRenditions(room.id());
    }

    private HlsRenditions hlsRenditions(String roomId) {
        return config.rooms().stream().filter(r -> r.id().equals(roomId) && r.hls() != null).findFirst()
                .map(r -> switch (r.hls()) {
                    case BOTH -> HlsRenditions.BOTH;
                    case TS -> HlsRenditions.TS;
                    case FMP4 -> HlsRenditions.FMP4;
                })
                .orElse(config.hls().fmp4() ? HlsRenditions.BOTH : HlsRenditions.TS);
    }

    /**
     * Packages the room's program ({@code /hls/{room-id}/}) and, when it has several, every input of the room under its
     * own URLs ({@code /hls/{room-id}/{input-id}/}), while it publishes: one packaging per live input, none per viewer. A
     * one-input room's input URLs answer with the program's packaging.
     */
    private void attachHls(Room room) {
        HlsRenditions renditions = hlsRenditions(room);
        hls.attach(streamFor(room), renditions);
        for (Feed feed : room.feeds()) {
            FeedId input = new FeedId(room.id(), feed.id());
            if (room.feeds().size() == 1) {
                hls.alias(input, FeedId.program(room.id())); // the program is that input: packaged once
            } else {
                hls.unalias(input);
                hls.attach(streams.stream(input, room.autoLive()), renditions);
            }
        }
    }

    private LiveStream streamFor(Room room) {
        return streams.stream(room.id(), room.autoLive());
    }

    /** Binds both listeners. */
    public void start() throws InterruptedException {
        if (redis != null && redis.start()) {
            try {
                clusterRooms.reload().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                log.warn("cluster: rooms not loaded at start ({}); they load when Redis answers", e.toString());
            }
        }
        if (hls != null) {
            rooms.all().forEach(this::attachHls);
        }
        if (recordings != null) {
            recordings.start();
            roomAdmin.recordWith(recordings.rooms(streams));
        }
        try {
            rtmpServer.start();
        } catch (Exception e) {
            throw listenError("RTMP", config.rtmp().port(), "relay.rtmp.port (RELAY_RTMP_PORT)", config.tls().rtmpsPort(),
                    "relay.tls.rtmps-port", e);
        }
        try {
            httpServer.start();
        } catch (Exception e) {
            throw listenError("HTTP", config.http().port(), "relay.http.port (RELAY_HTTP_PORT)", config.tls().httpsPort(),
                    "relay.tls.https-port", e);
        }
        if (nodes != null) {
            nodes.start(new NodeInfo.Address(config.cluster().advertiseHost(), rtmpPort(), httpPort()));
            log.info("cluster: node {} advertised as {}", config.cluster().nodeId(), config.cluster().advertiseHost());
        }
        ready = true;
        int setupLoops = handover.setupLoops() == null ? 0 : config.rtmp().setupThreads();
        int ingestLoops = handover.ingestLoops() == null ? 0 : config.rtmp().ingestThreads();
        log.info("fluxrelay started ({} transport, {} event loops{}{}, {} rooms)", transport.name(),
                config.rtmp().eventLoopThreads(), setupLoops == 0 ? "" : (ingestLoops == 0 ? " and " : ", ") + setupLoops + " for RTMP setup",
                ingestLoops == 0 ? "" : " and " + ingestLoops + " for publishers", rooms.all().size());
    }

    /** A listener that could not bind, told with the port and the key that moves it. */
    private static IllegalStateException listenError(String protocol, int port, String key, int tlsPort, String tlsKey,
                                                     Exception cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        String ports = "port " + port + (tlsPort > 0 ? " (or " + protocol + "S port " + tlsPort + ")" : "");
        return new IllegalStateException("cannot listen for " + protocol + " on " + ports + ": " + cause.getMessage()
                + ". Another program (or another fluxrelay) may be using it: stop it, or set " + key
                + (tlsPort > 0 ? " or " + tlsKey : "") + " to a free port.", cause);
    }

    /** The version in the jar's manifest, or "development build" when run from classes. */
    static String version() {
        String version = RelayServer.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }

    /**
     * Ready for traffic: started, not draining, and (with HLS on) every packaging thread still runs work; a
     * dead one would leave its rooms without HLS, so the instance asks to be taken out of rotation.
     */
    private boolean isReady() {
        return ready && (hls == null || hls.healthy());
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

    /** The socket transport in use ("epoll", "io_uring" or "nio"), after any fallback from the one configured. */
    public String transport() {
        return transport.name();
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

    /** Where RTMP connections are set up and which loops they move to for playing and publishing. */
    public LoopHandover loopHandover() {
        return handover;
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
     * keep serving live rooms until their publishers leave or {@code drainTimeout} passes, then close. Always
     * ends: every step of the close waits a bounded time, and a step that fails does not stop the others.
     */
    public void drainAndClose(Duration drainTimeout) {
        ready = false;
        draining = true;
        rtmpServer.stopAccepting();
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        log.info("draining: no new connections; serving live rooms for up to {} s", drainTimeout.toSeconds());
        while (System.nanoTime() < deadline && streams.all().stream().anyMatch(s -> s.snapshot().publishing())) {
            if (!pause(200)) {
                break;
            }
        }
        if (hls != null) {
            // Publishes still live end now, so every HLS playlist gets EXT-X-ENDLIST; players playing get one reload
            // (a target duration) to read it before the listener closes.
            long evicted = streams.all().stream().filter(s -> s.evictPublisher("the server is shutting down")).count();
            if (evicted > 0) {
                log.info("draining: ended {} live publishes; HLS players get {} s to read their ended playlists", evicted,
                        config.hls().targetDuration().toSeconds());
            }
            if (hls.snapshot().stream().anyMatch(room -> room.segmentsListed() > 0)) {
                pause(config.hls().targetDuration().toMillis());
            }
        }
        close();
    }

    /** Sleeps; false when interrupted. */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
        draining = true;
        if (nodes != null) {
            step("cluster node registry", nodes::close);
        }
        if (ladders != null) {
            step("ladder processes", ladders::close);
        }
        step("RTMP listener", rtmpServer::close);
        if (recordings != null) {
            step("recordings", recordings::close);
        }
        step("program switches", programs::close);
        step("stream hubs", streams::close);
        if (clustering != null) {
            step("cluster leases and pulls", clustering::close);
            step("cluster store connection", redis::close);
        }
        if (hls != null) {
            step("HLS packager", hls::close);
        }
        step("HTTP listener", httpServer::close);
        step("event loops", () -> {
            List<EventLoopGroup> groups = new ArrayList<>(List.of(boss, workers));
            groups.addAll(handover.ownGroups());
            groups.forEach(group -> group.shutdownGracefully(0, 2, TimeUnit.SECONDS));
            if (!groups.stream().allMatch(group -> group.terminationFuture().awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS))) {
                log.warn("event loops still busy after {} s; not waiting for them", CLOSE_WAIT_SECONDS);
            }
        });
        step("disk thread", () -> {
            disk.shutdown();
            try {
                disk.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        step("metrics", metrics::close);
        step("webhooks", webhooks::close);
        log.info("fluxrelay stopped");
    }

    /** One step of the close: what it throws is logged and the close goes on. */
    private static void step(String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            log.warn("closing the {} failed", what, e);
        }
    }

    /** The OBS settings and viewer URLs of the demo room, for the console. */
    String banner() {
        List<Banner.Shown> shown = new ArrayList<>();
        Banner.Shown demo = null;
        List<Room> all = new ArrayList<>(rooms.all());
        all.sort(java.util.Comparator.comparing(Room::id));
        for (Room room : all) {
            HlsRenditions renditions = hls == null ? null : hlsRenditions(room);
            Banner.Shown one = new Banner.Shown(room, renditions != null && renditions.ts(), renditions != null && renditions.fmp4());
            if (config.demoRoom() != null && room.id().equals(config.demoRoom().id())) {
                demo = one;
                shown.add(0, one);
            } else {
                shown.add(one);
            }
        }
        boolean demoKeyGenerated = demo != null && config.demoKeyGenerated()
                && demo.room().streamName().equals(config.demoRoom().streamName());
        return Banner.text(new Banner.Listeners(config.rtmp().host(), rtmpPort(), rtmpsPort(), httpPort(), httpsPort()), demo,
                demoKeyGenerated, shown);
    }

    /**
     * {@code --import-rooms}: copies the rooms a single node would start with (config rooms, then the rooms file) into
     * the cluster's Redis, skipping ids it already holds; returns the exit status.
     */
    static int importRooms(RelayConfig config) {
        RoomsFile.Content persisted = config.admin().roomsFile().isEmpty() ? null
                : new RoomsFile(Path.of(config.admin().roomsFile())).load();
        List<Room> rooms = StartingRooms.of(config, persisted).stream()
                .filter(r -> config.demoRoom() == null || !r.id().equals(config.demoRoom().id())).toList();
        try (RedisLink link = new RedisLink(config.cluster())) {
            if (!link.start()) {
                System.err.println("import: Redis at " + config.cluster().redactedUri() + " is unreachable; nothing imported");
                return 1;
            }
            RoomImport.Result result = RoomImport.run(link, rooms, ViewerPolicies.ownBandwidth(config, persisted));
            System.out.println("import: " + result.imported().size() + " rooms imported " + result.imported() + ", "
                    + result.skipped().size() + " already in Redis and left unchanged " + result.skipped());
            return 0;
        } catch (RedisLink.Unreachable e) {
            System.err.println("import: Redis stopped answering (" + e.getMessage() + "); rooms imported so far stay");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /** Starts the server from the command line: see {@link CommandLine}. */
    public static void main(String[] args) {
        CommandLine.run(args);
    }
}
