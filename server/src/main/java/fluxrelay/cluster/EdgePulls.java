package fluxrelay.cluster;

import fluxrelay.playback.FeedSources;
import fluxrelay.rtmp.amf.AmfLimits;
import fluxrelay.rtmp.chunk.ChunkLimits;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.LiveStream;
import fluxrelay.stream.StreamRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node as an edge: when a viewer is admitted to a feed no local publisher is on, pulls the feed from its
 * origin, one {@link OriginPull} per feed however many local viewers watch it.
 */
public final class EdgePulls implements FeedSources, AutoCloseable {

    /**
     * How pulls are made.
     *
     * @param idleTimeout a pull ends this long after its last local viewer left
     * @param takeoverAfter the hub's takeover rule for the pull's claim (as for encoders)
     * @param connectTimeout most time a connection to an origin may take
     * @param chunkLimits limits of the chunk decoder reading the origin (as for publishers)
     * @param amfLimits limits of the AMF reader
     */
    public record Settings(Duration idleTimeout, Duration takeoverAfter, Duration connectTimeout, ChunkLimits chunkLimits,
                           AmfLimits amfLimits) {
    }

    private final StreamRegistry streams;
    private final RedisRoomLocator locator;
    private final PullSignature signature;
    private final String nodeId;
    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;
    private final Settings settings;
    private final ClusterEvents events;
    private final Map<FeedId, OriginPull> pulls = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param streams this node's hubs, the pulls publish into
     * @param locator where a feed's origin is
     * @param signature signs the pulls' play names
     * @param nodeId this node's id (it goes into the signature)
     * @param group event loops the pull connections run on
     * @param channelType the client socket channel class of {@code group}'s transport
     * @param settings how pulls are made
     * @param events where pulls are counted
     */
    public EdgePulls(StreamRegistry streams, RedisRoomLocator locator, PullSignature signature, String nodeId,
                     EventLoopGroup group, Class<? extends Channel> channelType, Settings settings, ClusterEvents events) {
        this.streams = streams;
        this.locator = locator;
        this.signature = signature;
        this.nodeId = nodeId;
        this.group = group;
        this.channelType = channelType;
        this.settings = settings;
        this.events = events;
    }

    @Override
    public void demand(FeedId feed) {
        if (closed) {
            return;
        }
        LiveStream live = streams.find(feed).orElse(null);
        if (live == null) {
            return;
        }
        OriginPull[] started = new OriginPull[1];
        pulls.compute(feed, (key, current) -> {
            if (current != null && !current.finished()) {
                return current;
            }
            started[0] = new OriginPull(this, key, live, group.next());
            return started[0];
        });
        if (started[0] != null) {
            started[0].start();
        }
    }

    /** Pulls whose play runs now. */
    public int open() {
        return (int) pulls.values().stream().filter(OriginPull::open).count();
    }

    /** The feeds being pulled or looked for now. */
    public List<FeedId> feeds() {
        return List.copyOf(pulls.keySet());
    }

    void forget(FeedId feed, OriginPull pull) {
        pulls.remove(feed, pull);
    }

    RedisRoomLocator locator() {
        return locator;
    }

    PullSignature signature() {
        return signature;
    }

    String nodeId() {
        return nodeId;
    }

    Class<? extends Channel> channelType() {
        return channelType;
    }

    Duration idleTimeout() {
        return settings.idleTimeout();
    }

    Duration takeoverAfter() {
        return settings.takeoverAfter();
    }

    Duration connectTimeout() {
        return settings.connectTimeout();
    }

    ChunkLimits chunkLimits() {
        return settings.chunkLimits();
    }

    AmfLimits amfLimits() {
        return settings.amfLimits();
    }

    ClusterEvents events() {
        return events;
    }

    @Override
    public void close() {
        closed = true;
        pulls.values().forEach(OriginPull::close);
    }
}
