package fluxrelay;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.config.BandwidthConfig;
import fluxrelay.config.ConfigException;
import fluxrelay.config.ConfigLoader;
import fluxrelay.config.RelayConfig;
import fluxrelay.config.RoomConfig;
import fluxrelay.config.RtmpConfig;
import fluxrelay.config.StreamConfig;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.http.BandwidthProbeRoute;
import fluxrelay.http.HealthRoute;
import fluxrelay.http.HttpFlvRoute;
import fluxrelay.http.HttpServer;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.PublishAuthorizer;
import fluxrelay.rooms.Room;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.rtmp.handshake.HandshakeLimits;
import fluxrelay.rtmp.server.RtmpServer;
import fluxrelay.rtmp.session.SessionContext;
import fluxrelay.rtmp.session.SessionSettings;
import fluxrelay.stream.IngestPolicy;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.File;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: loads the configuration, builds every component with plain constructors,
 * starts the RTMP and HTTP listeners and stops them again.
 *
 * <p>Started as {@code java -jar server/target/relay-server.jar [--config FILE]}.
 */
public final class RelayServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RelayServer.class);

    private final RelayConfig config;
    private final Transport transport = Transport.best();
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final InMemoryRoomRegistry rooms;
    private final StreamRegistry streams;
    private final BandwidthRegistry bandwidth;
    private final RtmpServer rtmpServer;
    private final HttpServer httpServer;
    private volatile boolean ready;

    public RelayServer(RelayConfig config) {
        this.config = config;
        RtmpConfig rtmp = config.rtmp();
        StreamConfig stream = config.stream();
        boss = transport.newGroup(1);
        workers = transport.newGroup(rtmp.eventLoopThreads());
        rooms = new InMemoryRoomRegistry(config.rooms().stream()
                .map(r -> new Room(r.id(), r.title(), r.app(), r.streamName(), r.autoLive())).toList());
        streams = new StreamRegistry(new StreamLimits(stream.gopCacheMaxBytes(), stream.gopCacheMaxFrames()));
        var policy = config.ingestPolicy();
        IngestPolicy ingestPolicy = new IngestPolicy(policy.maxWidth(), policy.maxHeight(), policy.maxFrameRate(),
                policy.recommendedMinVideoKbps(), policy.recommendedMaxVideoKbps(), policy.strict());
        ViewerLimits viewerLimits = new ViewerLimits(stream.viewerMaxQueuedBytes(), stream.viewerMaxLag(), stream.flushInterval());
        SessionSettings settings = new SessionSettings(rtmp.chunkSize(), rtmp.windowAckSize(), rtmp.peerBandwidth(),
                rtmp.publisherIdleTimeout(), rtmp.publisherTakeoverAfter(), rtmp.idleConnectionTimeout(), 16);
        bandwidth = bandwidth(config.bandwidth(), config.rooms());
        SessionContext sessionContext = new SessionContext(rooms, new PublishAuthorizer(rooms),
                room -> streams.stream(room.id(), room.autoLive()), ingestPolicy, settings, viewerLimits, bandwidth);
        rtmpServer = new RtmpServer(
                new RtmpServer.Settings(rtmp.host(), rtmp.port(), rtmp.writeBufferLowWaterMark(), rtmp.writeBufferHighWaterMark()),
                boss, workers, transport.serverChannel(), new HandshakeLimits(rtmp.handshakeTimeout(), false),
                new ChunkLimits(rtmp.maxIncomingChunkSize(), rtmp.maxMessageLength(), rtmp.maxChunkStreams()),
                AmfLimits.DEFAULT, sessionContext);
        var http = config.http();
        httpServer = new HttpServer(new HttpServer.Settings(http.host(), http.port(), http.maxInitialLineLength(),
                http.maxHeaderSize(), http.maxContentLength(), rtmp.writeBufferLowWaterMark(), rtmp.writeBufferHighWaterMark()),
                boss, workers, transport.serverChannel(),
                List.of(new HealthRoute(() -> ready), new BandwidthProbeRoute(rooms, bandwidth),
                        new HttpFlvRoute(rooms, room -> streams.stream(room.id(), room.autoLive()), viewerLimits, bandwidth)));
    }

    private static BandwidthRegistry bandwidth(BandwidthConfig b, List<RoomConfig> rooms) {
        BandwidthRequirement defaults = BandwidthRequirement.ofMbps(b.requiredMbps(), BandwidthPolicy.parse(b.policy()));
        BandwidthSettings settings = new BandwidthSettings(defaults, b.rtmpDetectOnConnect(),
                new BandwidthSettings.Probe(b.probeDuration(), b.probeMinBytes(), b.probeMaxBytes(), b.probeTimeout(),
                        b.maxConcurrentProbes()),
                new BandwidthSettings.Monitor(b.monitor(), b.monitorInterval(), b.flagAfter(), b.unsentLimitBytes()),
                b.tokenTtl(), b.tokenParameter(), b.recentVerdicts());
        Map<String, BandwidthRequirement> overrides = new HashMap<>();
        for (RoomConfig room : rooms) {
            if (room.requiredMbps() != null || room.bandwidthPolicy() != null) {
                overrides.put(room.id(), BandwidthRequirement.ofMbps(
                        room.requiredMbps() != null ? room.requiredMbps() : b.requiredMbps(),
                        room.bandwidthPolicy() != null ? BandwidthPolicy.parse(room.bandwidthPolicy()) : defaults.policy()));
            }
        }
        byte[] secret = b.tokenSecret().isEmpty() ? ProbeTokens.randomSecret() : b.tokenSecret().getBytes(StandardCharsets.UTF_8);
        return new BandwidthRegistry(settings, overrides, secret, Clock.systemUTC());
    }

    /** Binds both listeners. */
    public void start() throws InterruptedException {
        rtmpServer.start();
        httpServer.start();
        ready = true;
        log.info("fluxrelay started ({} transport, {} rooms)", transport.name(), rooms.all().size());
    }

    /** The bound RTMP port. */
    public int rtmpPort() {
        return rtmpServer.port();
    }

    /** The bound HTTP port. */
    public int httpPort() {
        return httpServer.port();
    }

    /** The room registry (for tests and, later, the admin API). */
    public InMemoryRoomRegistry rooms() {
        return rooms;
    }

    /** The stream hubs. */
    public StreamRegistry streams() {
        return streams;
    }

    /** Per-room bandwidth requirements, verdicts and viewer states ({@code snapshot(roomId)} for admin and metrics). */
    public BandwidthRegistry bandwidth() {
        return bandwidth;
    }

    @Override
    public void close() {
        ready = false;
        rtmpServer.close();
        httpServer.close();
        streams.close();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        log.info("fluxrelay stopped");
    }

    /** The OBS settings and viewer URLs of the demo room, for the console. */
    String banner() {
        RoomConfig demo = config.demoRoom();
        String host = publicHost();
        StringBuilder out = new StringBuilder();
        out.append("\n=====================================================================\n");
        out.append(" fluxrelay is running: RTMP on port ").append(rtmpPort()).append(", HTTP on port ").append(httpPort()).append('\n');
        if (demo != null) {
            out.append("\n Go live with OBS Studio (Settings > Stream, Service: Custom...):\n");
            out.append("   Server:     rtmp://").append(host).append(':').append(rtmpPort()).append('/').append(demo.app()).append('\n');
            out.append("   Stream Key: ").append(demo.streamName()).append('\n');
            out.append("\n Watch room '").append(demo.id()).append("':\n");
            out.append("   RTMP:     rtmp://").append(host).append(':').append(rtmpPort()).append('/').append(demo.app()).append('/')
                    .append(demo.id()).append('\n');
            out.append("   HTTP-FLV: http://").append(host).append(':').append(httpPort()).append('/').append(demo.app()).append('/')
                    .append(demo.id()).append(".flv\n");
        }
        out.append("=====================================================================\n");
        return out.toString();
    }

    private String publicHost() {
        String bind = config.rtmp().host();
        if (!bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind;
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp() || nic.isLoopback()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address.getHostAddress();
                    }
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces", e);
        }
        return "localhost";
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
                            + "Environment: RELAY_RTMP_PORT, RELAY_HTTP_PORT, RELAY_DEMO_STREAM_NAME, ... or "
                            + "CONFIG_FORCE_relay_<path with _ for .>");
                    return;
                }
                default -> {
                    System.err.println("unknown argument: " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        RelayConfig config;
        try {
            config = new ConfigLoader().load(configFile);
        } catch (ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        RelayServer server = new RelayServer(config);
        try {
            server.start();
        } catch (Exception e) {
            log.error("cannot start: {}", e.toString());
            server.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
        System.out.println(server.banner());
    }
}
