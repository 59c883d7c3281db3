package fluxrelay.config;

import static fluxrelay.config.ConfigValues.bytes;
import static fluxrelay.config.ConfigValues.host;
import static fluxrelay.config.ConfigValues.intIn;
import static fluxrelay.config.ConfigValues.longIn;
import static fluxrelay.config.ConfigValues.mbps;
import static fluxrelay.config.ConfigValues.name;
import static fluxrelay.config.ConfigValues.oneOf;
import static fluxrelay.config.ConfigValues.optional;
import static fluxrelay.config.ConfigValues.port;
import static fluxrelay.config.ConfigValues.positive;
import static fluxrelay.config.ConfigValues.requireString;
import static fluxrelay.config.ConfigValues.sizeIn;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Loads and validates the configuration: {@code reference.conf} defaults, then an optional file, then
 * system properties and {@code CONFIG_FORCE_*} environment variables on top.
 *
 * <p>Every value is checked here, once, with an error naming the key; components receive validated
 * records and never see Typesafe Config.
 */
public final class ConfigLoader {

    /** Room ids, apps and playback names: safe in URLs and file names. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Input ids: short, lower case, safe in metric labels and URLs. */
    static final Pattern INPUT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final Supplier<String> streamNameGenerator;

    /** A loader that generates the demo room's stream name with {@link StreamNames#generate()}. */
    public ConfigLoader() {
        this(StreamNames::generate);
    }

    /** A loader with a given stream name source for the demo room (tests). */
    public ConfigLoader(Supplier<String> streamNameGenerator) {
        this.streamNameGenerator = streamNameGenerator;
    }

    /** Loads the defaults overlaid by {@code file} (may be null), properties and environment. */
    public RelayConfig load(File file) {
        Config base = ConfigFactory.defaultReference();
        Config user = ConfigFactory.empty();
        if (file != null) {
            if (!file.isFile()) {
                throw new ConfigException("config file not found: " + file);
            }
            try {
                user = ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
            }
        }
        Config merged = ConfigFactory.systemEnvironmentOverrides()
                .withFallback(ConfigFactory.systemProperties())
                .withFallback(user)
                .withFallback(base);
        try {
            return from(merged.resolve());
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }

    /**
     * Validates an already merged and resolved config (tests build one from a string). A key under {@code relay}
     * that {@code reference.conf} and the documented room keys do not know is an error, so a typo is not ignored.
     */
    public RelayConfig from(Config root) {
        KnownKeys.check(root, ConfigFactory.defaultReference());
        Config c = root.getConfig("relay");
        RtmpConfig rtmp = rtmp(c);
        HttpConfig http = http(c);
        if (rtmp.port() != 0 && rtmp.port() == http.port() && rtmp.host().equals(http.host())) {
            throw new ConfigException("relay.http.port: must differ from relay.rtmp.port (" + rtmp.port() + ")");
        }
        RecordingConfig recording = recording(c);
        List<RoomConfig> rooms = new ArrayList<>();
        List<KeyAt> keys = new ArrayList<>();
        List<? extends Config> declared = c.getConfigList("rooms");
        for (int i = 0; i < declared.size(); i++) {
            rooms.add(checkDvr(room("relay.rooms[" + i + "]", declared.get(i), keys, recording), "relay.rooms[" + i + "].",
                    recording));
        }
        RoomConfig demo = null;
        boolean demoKeyGenerated = false;
        if (c.getBoolean("demo-room.enabled")) {
            Config d = c.getConfig("demo-room");
            String name = d.getString("stream-name");
            if (name.isBlank()) {
                name = streamNameGenerator.get();
                demoKeyGenerated = true;
            }
            String p = "relay.demo-room.";
            demo = new RoomConfig(name(d, "relay.demo-room", "id"), d.getString("title"), name(d, "relay.demo-room", "app"),
                    List.of(InputConfig.main(streamName(name, p + "stream-name", keys))), true, requiredMbps(d, p),
                    optional(d, p, "bandwidth-policy", BandwidthConfig.Policy.class), optional(d, p, "hls", RoomConfig.Hls.class),
                    optional(d, p, "viewer-access", AccessConfig.Mode.class), d.hasPath("record") && d.getBoolean("record"),
                    recordStart(d, p), RoomConfig.Program.NONE, roomDvrWindow(d, p, recording));
            rooms.add(checkDvr(demo, p, recording));
        }
        checkUnique(rooms, keys);
        BandwidthConfig bandwidth = bandwidth(c);
        AccessConfig access = access(c, rooms, bandwidth.tokens().parameter());
        return new RelayConfig(rtmp, http, policy(c), stream(c), rooms, demo, admin(c), operations(c), webhooks(c),
                new LimitsConfig(intIn(c.getConfig("limits"), "relay.limits.", "max-connections", 0, 10_000_000),
                        intIn(c.getConfig("limits"), "relay.limits.", "max-connections-per-ip", 0, 10_000_000)), tls(c), hls(c), bandwidth,
                demoKeyGenerated, cluster(c), access, recording, program(c), web(c),
                oneOf(c, "relay.", "transport", TransportChoice.class), RoomConfigs.ladderSettings(c));
    }

    private static ProgramConfig program(Config c) {
        String p = "relay.program.";
        Config g = c.getConfig("program");
        String failback = oneOf(g, p, "failback", List.of("auto", "manual"));
        Duration failbackAfter = g.getDuration("failback-after");
        if (failbackAfter.isNegative()) {
            throw new ConfigException(p + "failback-after: must not be negative");
        }
        return new ProgramConfig(positive(g, p, "failover-after"), failbackAfter, failback.equals("auto"),
                positive(g, p, "switch-wait"));
    }

    /**
     * {@code relay.web}: {@code frame-ancestors} goes into a Content-Security-Policy header as it is, so it may hold
     * only source expressions: no {@code ;} or {@code ,} (which would end the directive or the policy), no control
     * characters, not empty.
     */
    private static WebConfig web(Config c) {
        String p = "relay.web.";
        Config w = c.getConfig("web");
        String ancestors = w.getString("frame-ancestors").strip();
        if (ancestors.isEmpty() || !ancestors.matches("[\\x21-\\x7e&&[^;,]]+( +[\\x21-\\x7e&&[^;,]]+)*")) {
            throw new ConfigException(p + "frame-ancestors: must be CSP sources separated by spaces, such as 'self' "
                    + "https://events.example.org (no ';' or ','), got '" + ancestors + "'");
        }
        return new WebConfig(w.getBoolean("enabled"), ancestors);
    }

    /**
     * {@code relay.access}: secrets are a list, or one comma-separated string (from {@code RELAY_ACCESS_SECRETS});
     * a room needing tokens with no secret to check them is an error, not a room nobody can watch.
     */
    private static AccessConfig access(Config c, List<RoomConfig> rooms, String bandwidthParameter) {
        String p = "relay.access.";
        Config a = c.getConfig("access");
        AccessConfig.Mode mode = oneOf(a, p, "default", AccessConfig.Mode.class);
        List<String> secrets = a.getValue("secrets").valueType() == com.typesafe.config.ConfigValueType.STRING
                ? java.util.Arrays.stream(a.getString("secrets").split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                : a.getStringList("secrets");
        for (int i = 0; i < secrets.size(); i++) {
            if (secrets.get(i).length() < AccessConfig.MIN_SECRET_LENGTH) {
                throw new ConfigException(p + "secrets[" + i + "]: must be at least " + AccessConfig.MIN_SECRET_LENGTH
                        + " characters");
            }
        }
        String parameter = a.getString("token-parameter");
        if (!parameter.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new ConfigException(p + "token-parameter: must be 1 to 32 letters, digits, '_' or '-'");
        }
        if (parameter.equals(bandwidthParameter) || parameter.startsWith("_HLS_")) {
            throw new ConfigException(p + "token-parameter: must differ from relay.bandwidth.token-parameter and the "
                    + "_HLS_ parameters, got '" + parameter + "'");
        }
        if (secrets.isEmpty()) {
            if (mode == AccessConfig.Mode.TOKEN) {
                throw new ConfigException(p + "default: token needs at least one secret in relay.access.secrets");
            }
            for (RoomConfig room : rooms) {
                if (room.viewerAccess() == AccessConfig.Mode.TOKEN) {
                    throw new ConfigException("room " + room.id() + ": viewer-access = token needs at least one secret in "
                            + "relay.access.secrets");
                }
            }
        }
        return new AccessConfig(mode, secrets, parameter, intIn(a, p, "max-revocations", 1, 10_000_000));
    }

    private static BandwidthConfig bandwidth(Config c) {
        String p = "relay.bandwidth.";
        Config b = c.getConfig("bandwidth");
        double required = mbps(b, p, "required-mbps");
        BandwidthConfig.Policy policy = oneOf(b, p, "policy", BandwidthConfig.Policy.class);
        int min = sizeIn(b, p, "probe-min-bytes", 16 * 1024, 64 << 20);
        int max = sizeIn(b, p, "probe-max-bytes", 16 * 1024, 64 << 20);
        if (min > max) {
            throw new ConfigException(p + "probe-min-bytes: must not exceed probe-max-bytes");
        }
        Duration probeDuration = positive(b, p, "probe-duration");
        Duration probeTimeout = positive(b, p, "probe-timeout");
        if (probeTimeout.compareTo(probeDuration.multipliedBy(2)) < 0) {
            throw new ConfigException(p + "probe-timeout: must be at least twice probe-duration, got " + probeTimeout);
        }
        String secret = b.getString("token-secret");
        if (!secret.isEmpty() && secret.length() < 16) {
            throw new ConfigException(p + "token-secret: must be empty (random at start) or at least 16 characters");
        }
        String parameter = b.getString("token-parameter");
        if (!parameter.matches("[A-Za-z0-9_-]{1,32}")) {
            throw new ConfigException(p + "token-parameter: must be 1 to 32 letters, digits, '_' or '-'");
        }
        Config m = b.getConfig("monitor");
        String mp = p + "monitor.";
        Duration interval = positive(m, mp, "interval");
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new ConfigException(mp + "interval: must be between 100ms and 10s, got " + interval);
        }
        Duration flagAfter = positive(m, mp, "flag-after");
        if (flagAfter.compareTo(interval) < 0 || flagAfter.compareTo(interval.multipliedBy(31)) > 0) {
            throw new ConfigException(mp + "flag-after: must be between one and 31 intervals, got " + flagAfter);
        }
        double headroom = b.getDouble("rendition-headroom");
        if (!(headroom >= 1) || headroom > 10) {
            throw new ConfigException(p + "rendition-headroom: must be between 1 and 10, got " + headroom);
        }
        return new BandwidthConfig(required, policy, b.getBoolean("rtmp-detect-on-connect"),
                new BandwidthConfig.Probe(probeDuration, min, max, probeTimeout, intIn(b, p, "max-concurrent-probes", 1, 100_000)),
                new BandwidthConfig.Monitor(m.getBoolean("enabled"), interval, flagAfter, sizeIn(m, mp, "unsent-limit", 0, 64 << 20)),
                new BandwidthConfig.Tokens(secret, positive(b, p, "token-ttl"), parameter, positive(b, p, "hls-token-ttl")),
                intIn(b, p, "recent-verdicts", 0, 10_000), headroom);
    }

    private static Double requiredMbps(Config r, String path) {
        return r.hasPath("required-mbps") ? mbps(r, path, "required-mbps") : null;
    }

    private static RtmpConfig rtmp(Config c) {
        String p = "relay.rtmp.";
        Config r = c.getConfig("rtmp");
        int chunkSize = intIn(r, p, "chunk-size", 128, 65536);
        int maxIncoming = sizeIn(r, p, "max-incoming-chunk-size", 128, 16 * 1024 * 1024);
        int maxMessage = sizeIn(r, p, "max-message-length", 1024, RtmpConfig.MESSAGE_LENGTH_CEILING);
        int low = sizeIn(r, p, "write-buffer-low-water-mark", 1024, Integer.MAX_VALUE);
        int high = sizeIn(r, p, "write-buffer-high-water-mark", 1024, Integer.MAX_VALUE);
        if (low > high) {
            throw new ConfigException(p + "write-buffer-low-water-mark: must not exceed write-buffer-high-water-mark");
        }
        RtmpConfig.Session session = new RtmpConfig.Session(chunkSize, longIn(r, p, "window-ack-size", 1, 0xFFFFFFFFL),
                longIn(r, p, "peer-bandwidth", 1, 0xFFFFFFFFL), positive(r, p, "publisher-idle-timeout"),
                positive(r, p, "publisher-takeover-after"), positive(r, p, "idle-connection-timeout"),
                intIn(r, p, "max-streams-per-connection", 1, 1024));
        RtmpConfig.Amf amf = new RtmpConfig.Amf(intIn(r, p, "amf-max-depth", 1, 256),
                sizeIn(r, p, "amf-max-string-length", 256, 16 * 1024 * 1024), intIn(r, p, "amf-max-elements", 256, 16 * 1024 * 1024));
        int loops = intIn(r, p, "event-loop-threads", 0, 1024);
        if (loops == 0) {
            // Two per core (Netty's own default, which the server ran with until now): each loop has its own flush
            // budget, so a core's viewers wait half as long as with one. Merged writes wait their window whatever the
            // loops, and one per core spares the second loop's chunking and flushes (22-32% less CPU at 1,000-4,000
            // viewers, BENCHMARKS.md run 7).
            int cores = Runtime.getRuntime().availableProcessors();
            loops = c.getDuration("stream.write-merge").isZero() ? 2 * cores : cores;
        }
        return new RtmpConfig(host(r, p), port(r, p), loops, intIn(r, p, "setup-threads", 0, 64), intIn(r, p, "ingest-threads", 0, 64),
                positive(r, p, "handshake-timeout"), session,
                new RtmpConfig.Chunks(maxIncoming, maxMessage, intIn(r, p, "max-chunk-streams", 4, RtmpConfig.CHUNK_STREAMS_CEILING)), amf,
                new RtmpConfig.WriteBuffer(low, high),
                new RtmpConfig.PublishFailures(intIn(r, p, "publish-failures-per-window", 0, 1_000_000),
                        positive(r, p, "publish-failure-window")), partialMessages(r, p, maxMessage));
    }

    private static PartialMessagesConfig partialMessages(Config r, String rtmp, int maxMessage) {
        String p = rtmp + "partial-messages.";
        Config m = r.getConfig("partial-messages");
        long before = sizeIn(m, p, "per-connection-before-publish", 4096, 64 * 1024 * 1024);
        long publishing = sizeIn(m, p, "per-connection-publishing", 4096, Integer.MAX_VALUE);
        if (publishing < before) {
            throw new ConfigException(p + "per-connection-publishing: must be at least per-connection-before-publish");
        }
        if (publishing < maxMessage) {
            throw new ConfigException(p + "per-connection-publishing: must be at least " + rtmp
                    + "max-message-length, or a message of the largest accepted size could never arrive");
        }
        double server = m.getDouble("server-share-of-direct-memory");
        if (!(server > 0 && server <= 1)) {
            throw new ConfigException(p + "server-share-of-direct-memory: must be in (0, 1], got " + server);
        }
        double strangers = m.getDouble("before-publish-share");
        if (!(strangers > 0 && strangers < 1)) {
            throw new ConfigException(p + "before-publish-share: must be in (0, 1), got " + strangers);
        }
        return new PartialMessagesConfig(before, publishing, server, strangers);
    }

    private static HttpConfig http(Config c) {
        String p = "relay.http.";
        Config h = c.getConfig("http");
        return new HttpConfig(host(h, p), port(h, p), sizeIn(h, p, "max-initial-line-length", 256, 1 << 20),
                sizeIn(h, p, "max-header-size", 1024, 1 << 20), sizeIn(h, p, "max-content-length", 0, 64 << 20),
                positive(h, p, "request-timeout"), positive(h, p, "idle-timeout"));
    }

    private static IngestPolicyConfig policy(Config c) {
        String p = "relay.ingest-policy.";
        Config i = c.getConfig("ingest-policy");
        int min = intIn(i, p, "recommended-min-video-kbps", 0, 1_000_000);
        int max = intIn(i, p, "recommended-max-video-kbps", 0, 1_000_000);
        if (min > max) {
            throw new ConfigException(p + "recommended-min-video-kbps: must not exceed recommended-max-video-kbps");
        }
        double fps = i.getDouble("max-frame-rate");
        if (!(fps > 0 && fps <= 1000)) {
            throw new ConfigException(p + "max-frame-rate: must be in (0, 1000], got " + fps);
        }
        return new IngestPolicyConfig(intIn(i, p, "max-width", 16, 16384), intIn(i, p, "max-height", 16, 16384), fps, min, max,
                i.getBoolean("strict"));
    }

    private static StreamConfig stream(Config c) {
        String p = "relay.stream.";
        Config s = c.getConfig("stream");
        Duration flush = s.getDuration("flush-interval");
        if (flush.isNegative() || flush.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new ConfigException(p + "flush-interval: must be between 0 and 1s, got " + flush);
        }
        Duration flushMax = s.getDuration("flush-interval-max");
        if (flushMax.compareTo(flush) < 0 || flushMax.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new ConfigException(p + "flush-interval-max: must be between flush-interval (" + flush + ") and 1s, got "
                    + flushMax);
        }
        Duration merge = s.getDuration("write-merge");
        if (merge.isNegative() || merge.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new ConfigException(p + "write-merge: must be between 0 and 1s, got " + merge);
        }
        Duration jump = s.getDuration("max-timestamp-jump");
        if (jump.compareTo(Duration.ofSeconds(1)) < 0 || jump.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(p + "max-timestamp-jump: must be between 1s and 1h, got " + jump);
        }
        Duration grace = s.getDuration("publisher-gap-grace");
        if (grace.isNegative() || grace.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new ConfigException(p + "publisher-gap-grace: must be between 0 and 10m, got " + grace);
        }
        return new StreamConfig(new StreamConfig.GopCache(sizeIn(s, p, "gop-cache-max-bytes", 0, Integer.MAX_VALUE),
                intIn(s, p, "gop-cache-max-frames", 0, 1_000_000)),
                new StreamConfig.Flush(flush, flushMax, intIn(s, p, "flushes-per-second", 0, 100_000_000),
                        merge, intIn(s, p, "write-merge-slots", 1, 64),
                        sizeIn(s, p, "write-merge-block-size", 0, 16 * 1024 * 1024),
                        intIn(s, p, "write-merge-max-blocks", 2, 4096), intIn(s, p, "flush-slots", 1, 64),
                        sizeIn(s, p, "flush-block-size", 0, 16 * 1024 * 1024), intIn(s, p, "flush-max-blocks", 2, 4096)),
                positive(s, p, "viewer-max-lag"), sizeIn(s, p, "viewer-max-queued-bytes", 64 * 1024, Integer.MAX_VALUE),
                intIn(s, p, "max-viewers-per-room", 1, 10_000_000), positive(s, p, "viewer-idle-timeout"), jump, grace);
    }

    private static AdminConfig admin(Config c) {
        String p = "relay.admin.";
        Config a = c.getConfig("admin");
        String token = a.getString("token");
        if (!token.isEmpty() && token.length() < 16) {
            throw new ConfigException(p + "token: must be at least 16 characters (or empty for loopback-only access)");
        }
        List<String> hosts = new ArrayList<>();
        for (String host : a.getStringList("allowed-hosts")) {
            String name = host.strip().toLowerCase(java.util.Locale.ROOT);
            if (name.isEmpty() || !name.matches("[a-z0-9.:\\[\\]_-]+")) {
                throw new ConfigException(p + "allowed-hosts: '" + host + "' is not a host name or address (no port, no scheme)");
            }
            hosts.add(name);
        }
        return new AdminConfig(token, a.getString("rooms-file"), intIn(a, p, "rate-limit-per-minute", 1, 1_000_000),
                intIn(a, p, "max-rooms", 1, 1_000_000), intIn(a, p, "auth-failures-per-minute", 1, 1_000_000), hosts);
    }

    private static ClusterConfig cluster(Config c) {
        String p = "relay.cluster.";
        Config k = c.getConfig("cluster");
        boolean enabled = k.getBoolean("enabled");
        String nodeId = k.getString("node-id");
        String advertise = k.getString("advertise-host");
        String uri = k.getString("redis-uri");
        String secret = k.getString("secret");
        Duration heartbeat = positive(k, p, "heartbeat-interval");
        Duration lease = positive(k, p, "lease-ttl");
        Duration pullIdle = positive(k, p, "pull-idle-timeout");
        long hlsCache = sizeIn(k, p, "hls-cache", 0, Integer.MAX_VALUE);
        Duration revocationTtl = positive(k, p, "revocation-ttl");
        Duration staleGrace = k.getDuration("hls-stale-grace");
        if (staleGrace.isNegative() || staleGrace.compareTo(Duration.ofMinutes(2)) > 0) {
            throw new ConfigException(p + "hls-stale-grace: must be between 0 and 2m, got " + staleGrace);
        }
        Duration positionTtl = k.getDuration("hls-position-ttl");
        if (positionTtl.compareTo(Duration.ofSeconds(10)) < 0 || positionTtl.compareTo(Duration.ofDays(1)) > 0) {
            throw new ConfigException(p + "hls-position-ttl: must be between 10s and 1d, got " + positionTtl);
        }
        if (!enabled) {
            return new ClusterConfig(false, nodeId, advertise, uri, k.getString("redis-password"), secret, heartbeat, lease, pullIdle,
                    hlsCache, revocationTtl, staleGrace, positionTtl);
        }
        if (nodeId.isEmpty()) {
            nodeId = hostName();
        }
        if (!NAME.matcher(nodeId).matches()) {
            throw new ConfigException(p + "node-id: must be 1 to 64 letters, digits, '.', '_' or '-', got '" + nodeId + "'");
        }
        if (advertise.isEmpty()) {
            advertise = hostName();
        }
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            throw new ConfigException(p + "redis-uri: must start with redis:// or rediss://");
        }
        if (secret.length() < 32) {
            throw new ConfigException(p + "secret: must be at least 32 characters when the cluster is enabled");
        }
        if (heartbeat.compareTo(Duration.ofMillis(100)) < 0 || heartbeat.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new ConfigException(p + "heartbeat-interval: must be between 100ms and 60s, got " + heartbeat);
        }
        if (lease.compareTo(heartbeat.multipliedBy(2)) <= 0) {
            throw new ConfigException(p + "lease-ttl: must exceed two heartbeat intervals (" + heartbeat.multipliedBy(2) + "), got " + lease);
        }
        return new ClusterConfig(true, nodeId, advertise, uri, k.getString("redis-password"), secret, heartbeat, lease, pullIdle,
                hlsCache, revocationTtl, staleGrace, positionTtl);
    }

    /** This machine's host name (what a container's name resolves to), or "localhost" when it has none. */
    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && NAME.matcher(env).matches()) {
            return env;
        }
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            return NAME.matcher(name).matches() ? name : "localhost";
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static TlsConfig tls(Config c) {
        String p = "relay.tls.";
        Config t = c.getConfig("tls");
        String cert = t.getString("certificate");
        String key = t.getString("private-key");
        boolean configured = !cert.isBlank() || !key.isBlank();
        int rtmps = tlsPort(t, p, "rtmps-port", configured ? TlsConfig.DEFAULT_RTMPS_PORT : -1);
        int https = tlsPort(t, p, "https-port", configured ? TlsConfig.DEFAULT_HTTPS_PORT : -1);
        if (!configured) {
            if (rtmps >= 0 || https >= 0) {
                throw new ConfigException(p + "certificate: a TLS port is set but no certificate and private key are configured");
            }
            return new TlsConfig(null, null, -1, -1);
        }
        java.nio.file.Path certificate = readable(p + "certificate", cert);
        java.nio.file.Path privateKey = readable(p + "private-key", key);
        return new TlsConfig(certificate, privateKey, rtmps, https);
    }

    /** A TLS listener's port: a number (-1: off), or {@code auto}: the default port when a certificate is set, else off. */
    private static int tlsPort(Config t, String p, String key, int auto) {
        if ("auto".equals(t.getValue(key).unwrapped().toString().trim())) {
            return auto;
        }
        return intIn(t, p, key, -1, 65535);
    }

    private static java.nio.file.Path readable(String key, String value) {
        java.nio.file.Path path = java.nio.file.Path.of(value);
        if (value.isBlank() || !java.nio.file.Files.isReadable(path)) {
            throw new ConfigException(key + ": '" + value + "' is not a readable file");
        }
        return path;
    }

    private static WebhooksConfig webhooks(Config c) {
        String p = "relay.webhooks.";
        Config w = c.getConfig("webhooks");
        String failure = oneOf(w, p, "on-failure", List.of("deny", "allow"));
        return new WebhooksConfig(url(w, p, "on-publish"), url(w, p, "on-publish-done"), url(w, p, "on-play"),
                url(w, p, "on-play-done"), positive(w, p, "timeout"), intIn(w, p, "retries", 0, 20), positive(w, p, "retry-backoff"),
                failure.equals("allow"), sizeIn(w, p, "max-response-bytes", 1024, 16 * 1024 * 1024), url(w, p, "on-recording"),
                url(w, p, "on-program-changed"), url(w, p, "on-input-changed"));
    }

    private static java.net.URI url(Config c, String p, String key) {
        String value = c.getString(key);
        if (value.isBlank()) {
            return null;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new ConfigException(p + key + ": must be an http:// or https:// URL, got '" + value + "'");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(p + key + ": not a valid URL: " + e.getMessage());
        }
    }

    private static OperationsConfig operations(Config c) {
        return new OperationsConfig(intIn(c.getConfig("metrics"), "relay.metrics.", "max-room-labels", 0, 100_000),
                positive(c.getConfig("lifecycle"), "relay.lifecycle.", "drain-timeout"));
    }

    private static HlsConfig hls(Config c) {
        String p = "relay.hls.";
        Config h = c.getConfig("hls");
        Duration target = h.getDuration("target-duration");
        if (target.toMillis() < 500 || target.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new ConfigException(p + "target-duration: must be between 500ms and 60s, got " + target);
        }
        Duration playlistMaxAge = h.getDuration("playlist-max-age");
        if (playlistMaxAge.isNegative() || playlistMaxAge.compareTo(target) >= 0) {
            throw new ConfigException(p + "playlist-max-age: must be at least 0 and below target-duration (" + target + "), got "
                    + playlistMaxAge);
        }
        Duration segmentMaxAge = h.getDuration("segment-max-age");
        if (segmentMaxAge.isNegative()) {
            throw new ConfigException(p + "segment-max-age: must not be negative, got " + segmentMaxAge);
        }
        int threads = intIn(h, p, "threads", 0, 256);
        if (threads == 0) {
            threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }
        Duration partTarget = h.getDuration("part-target");
        if (partTarget.toMillis() < 100 || partTarget.compareTo(target) > 0) {
            throw new ConfigException(p + "part-target: must be between 100ms and target-duration (" + target + "), got "
                    + partTarget);
        }
        return new HlsConfig(h.getBoolean("enabled"), target, intIn(h, p, "window", 3, 1000),
                sizeIn(h, p, "max-segment-bytes", 256 * 1024, 1 << 30), threads, playlistMaxAge, segmentMaxAge,
                directory(h, p), h.getBoolean("directory-keep-segments"),
                sizeIn(h, p, "directory-max-queued-bytes", 1 << 20, Integer.MAX_VALUE), h.getBoolean("fmp4"), partTarget);
    }

    private static RecordingConfig recording(Config c) {
        String p = "relay.recording.";
        Config r = c.getConfig("recording");
        String directory = r.getString("directory").trim();
        if (directory.isEmpty()) {
            throw new ConfigException(p + "directory: must name a directory");
        }
        SystemDirectories.refuse(p + "directory", directory);
        Duration grace = r.getDuration("grace");
        if (grace.isNegative() || grace.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(p + "grace: must be between 0s and 1h, got " + grace);
        }
        Duration fragment = r.getDuration("fragment");
        if (fragment.toMillis() < 100 || fragment.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new ConfigException(p + "fragment: must be between 100ms and 30s, got " + fragment);
        }
        Duration maxAge = r.getDuration("max-age");
        if (maxAge.isNegative()) {
            throw new ConfigException(p + "max-age: must not be negative, got " + maxAge);
        }
        Duration checkInterval = r.getDuration("check-interval");
        if (checkInterval.toMillis() < 100) {
            throw new ConfigException(p + "check-interval: must be at least 100ms, got " + checkInterval);
        }
        return new RecordingConfig(r.getBoolean("enabled"), directory, grace, fragment, maxAge, bytes(r, p, "max-total-size"),
                bytes(r, p, "min-free"), intIn(r, p, "threads", 1, 64), checkInterval, positive(r, p, "replay-ttl"),
                start(r, p, "start"), dvrWindow(r, p, fragment));
    }

    /**
     * A {@code dvr-window}: zero (none), or from {@link RecordingConfig#shortestDvrWindow three target durations} of the
     * DVR playlist to {@link RecordingConfig#MAX_DVR_WINDOW a day}.
     */
    private static Duration dvrWindow(Config c, String p, Duration fragment) {
        Duration window = c.getDuration("dvr-window");
        if (window.isZero()) {
            return window;
        }
        Duration least = RecordingConfig.shortestDvrWindow(fragment);
        if (window.compareTo(least) < 0 || window.compareTo(RecordingConfig.MAX_DVR_WINDOW) > 0) {
            throw new ConfigException(p + "dvr-window: must be 0s (off) or between " + least.toSeconds() + "s (three times "
                    + "twice relay.recording.fragment) and 24h, got " + window);
        }
        return window;
    }

    /** A room's own {@code dvr-window}, or null for {@code relay.recording.dvr-window}. */
    private static Duration roomDvrWindow(Config r, String p, RecordingConfig recording) {
        return r.hasPath("dvr-window") ? dvrWindow(r, p, recording.fragment()) : null;
    }

    /** A room with a DVR window must record: the window is served from its recording. */
    private static RoomConfig checkDvr(RoomConfig room, String p, RecordingConfig recording) {
        if (room.dvrWindow() != null && !room.dvrWindow().isZero() && !recording.records(room)) {
            throw new ConfigException(p + "dvr-window: room " + room.id() + " does not record (record = false, or "
                    + "relay.recording.enabled = false without record = true); a live DVR window is served from the recording");
        }
        return room;
    }

    /** {@code relay.hls.directory}, trimmed: empty, or a directory that is not the operating system's. */
    private static String directory(Config h, String p) {
        String dir = h.getString("directory").trim();
        if (!dir.isEmpty()) {
            SystemDirectories.refuse(p + "directory", dir);
        }
        return dir;
    }

    /** A stream name and the key it was given at, checked against all room ids once every room is read. */
    private record KeyAt(String key, String name) {
    }

    private static RoomConfig room(String path, Config r, List<KeyAt> keys, RecordingConfig recording) {
        List<InputConfig> inputs = inputs(path, r, keys);
        String title = r.hasPath("title") ? r.getString("title") : name(r, path, "id");
        String app = r.hasPath("app") ? name(r, path, "app") : "live";
        boolean autoLive = !r.hasPath("auto-live") || r.getBoolean("auto-live");
        String p = path + ".";
        return new RoomConfig(name(r, path, "id"), title, app, inputs, autoLive, requiredMbps(r, p),
                optional(r, p, "bandwidth-policy", BandwidthConfig.Policy.class), optional(r, p, "hls", RoomConfig.Hls.class),
                optional(r, p, "viewer-access", AccessConfig.Mode.class), r.hasPath("record") ? r.getBoolean("record") : null,
                recordStart(r, p), roomProgram(r, p), roomDvrWindow(r, p, recording),
                RoomConfigs.renditions(path, r, (name, key) -> streamName(name, key, keys)), RoomConfigs.ladder(path, r));
    }

    /** {@code start} of {@code relay.recording} or {@code record-start} of a room: publish or go-live. */
    private static RecordingConfig.Start start(Config c, String p, String key) {
        return oneOf(c, p, key, List.of("publish", "go-live")).equals("publish") ? RecordingConfig.Start.PUBLISH
                : RecordingConfig.Start.GO_LIVE;
    }

    /** A room's own {@code record-start}, or null for {@code relay.recording.start}. */
    private static RecordingConfig.Start recordStart(Config r, String p) {
        return r.hasPath("record-start") ? start(r, p, "record-start") : null;
    }

    /** A room's own {@code failover-after}, {@code failback-after} and {@code failback}, checked as {@code relay.program}'s. */
    private static RoomConfig.Program roomProgram(Config r, String p) {
        Duration failoverAfter = r.hasPath("failover-after") ? positive(r, p, "failover-after") : null;
        Duration failbackAfter = null;
        if (r.hasPath("failback-after")) {
            failbackAfter = r.getDuration("failback-after");
            if (failbackAfter.isNegative()) {
                throw new ConfigException(p + "failback-after: must not be negative");
            }
        }
        Boolean autoFailback = r.hasPath("failback") ? oneOf(r, p, "failback", List.of("auto", "manual")).equals("auto") : null;
        return new RoomConfig.Program(failoverAfter, failbackAfter, autoFailback);
    }

    /** A room's inputs: {@code inputs}, or {@code stream-name} as the shorthand for one input "main"; never both. */
    private static List<InputConfig> inputs(String path, Config r, List<KeyAt> keys) {
        if (r.hasPath("inputs") == r.hasPath("stream-name")) {
            throw new ConfigException(r.hasPath("inputs")
                    ? path + ": declare either stream-name (one input) or inputs, not both"
                    : path + ".stream-name: missing (or declare inputs = [ { id, stream-name, role } ])");
        }
        if (r.hasPath("stream-name")) {
            return List.of(InputConfig.main(streamName(r.getString("stream-name"), path + ".stream-name", keys)));
        }
        List<? extends Config> declared;
        try {
            declared = r.getConfigList("inputs");
        } catch (com.typesafe.config.ConfigException.WrongType e) {
            throw new ConfigException(path + ".inputs: must be a list of { id, stream-name, role } objects");
        }
        if (declared.isEmpty()) {
            throw new ConfigException(path + ".inputs: must list at least one input");
        }
        List<InputConfig> inputs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < declared.size(); i++) {
            Config in = declared.get(i);
            String ip = path + ".inputs[" + i + "]";
            String id = requireString(in, ip, "id");
            if (!INPUT_ID.matcher(id).matches()) {
                throw new ConfigException(ip + ".id: '" + id + "' must be 1 to 32 lower-case letters, digits or '-', "
                        + "starting with a letter or digit");
            }
            if (InputConfig.PROGRAM.equals(id)) {
                throw new ConfigException(ip + ".id: the input id 'program' is reserved for the room's program (what its "
                        + "viewer URLs play); choose another");
            }
            if (!ids.add(id)) {
                throw new ConfigException(ip + ".id: input id '" + id + "' is declared twice in the room");
            }
            String role = in.hasPath("role") ? oneOf(in, ip + ".", "role", List.of(InputConfig.MAIN, InputConfig.BACKUP))
                    : InputConfig.MAIN;
            inputs.add(new InputConfig(id, streamName(requireString(in, ip, "stream-name"), ip + ".stream-name", keys), role));
        }
        return inputs;
    }

    /**
     * Room ids are unique; a stream name binds one input of one room in its app, so no two inputs of an app share one;
     * no stream name equals a room id, since viewers play rooms by id.
     */
    private static void checkUnique(List<RoomConfig> rooms, List<KeyAt> declared) {
        Set<String> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (RoomConfig room : rooms) {
            if (!ids.add(room.id())) {
                throw new ConfigException("relay.rooms: room id '" + room.id() + "' is declared twice");
            }
            for (InputConfig input : room.inputs()) {
                if (!keys.add(room.app() + "/" + input.streamName())) {
                    throw new ConfigException("relay.rooms: room '" + room.id() + "' (input '" + input.id()
                            + "') reuses the stream name of another room or input in app '" + room.app() + "'");
                }
            }
            RoomConfigs.checkUnique(room, keys);
        }
        for (KeyAt key : declared) {
            String problem = StreamNames.problem(key.name(), ids);
            if (problem != null) {
                throw new ConfigException(key.key() + ": " + problem);
            }
        }
    }

    private static String streamName(String value, String key, List<KeyAt> keys) {
        String problem = StreamNames.problem(value);
        if (problem != null) {
            throw new ConfigException(key + ": " + problem);
        }
        keys.add(new KeyAt(key, value));
        return value;
    }

}
