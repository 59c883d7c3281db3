package fluxrelay.http;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthVerdict;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.bandwidth.SegmentClients;
import fluxrelay.egress.TcpFigures;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bandwidth side of HLS serving: admission of each playlist and media request under the room's policy,
 * and the timing of segment responses that judges each HLS client during playback.
 *
 * <p>An HLS client is not one connection but a series of requests, so it is known by its address and
 * User-Agent ({@link #clientKey}). Each segment or part response of at least {@link #MIN_MEASURED_BYTES} is
 * timed from the moment it is written to the moment the socket took its last byte; on epoll, the bytes the
 * kernel still had in flight then (one TCP_INFO read, no polling) are not counted as delivered, and the
 * socket's unsent backlog is capped at {@link #UNSENT_LIMIT} so that the write completes close to delivery.
 * Smaller responses (playlists, short parts) are dominated by round trips and slow start, not by the rate.
 * Players may fetch several segments at once over one link (ffmpeg does by default, LL-HLS players fetch parts
 * alongside segments): while a client has responses in flight without a break, each completion is judged as
 * the bytes completed since the break over the time since (restarted every {@link #BUSY_WINDOW} completions),
 * so sharing the link between its own downloads does not read as a slow link.
 *
 * <p>Under {@code enforce} every playlist and media request needs a valid probe token whose measured rate
 * meets the requirement ({@code ?bwtoken=}); players do not carry a playlist URL's query over to the URIs it
 * lists (hls.js does not), so every URI of an answered playlist gets a playback token: the same measured
 * rate, valid for {@code playbackTokenTtl}, long enough to play an event while reloading the same URLs. A
 * client flagged as persistently below is answered 403 with its figures from then on (counted once, as a
 * disconnection); under {@code warn} it is logged once and counted as flagged.
 */
public final class HlsBandwidth {

    /** Responses smaller than this are not timed: a few round trips, not the link's rate, decide them. */
    static final long MIN_MEASURED_BYTES = 64 * 1024;
    /** TCP_NOTSENT_LOWAT of HLS sockets in checked rooms on epoll: the unsent bytes a write may leave behind. */
    static final long UNSENT_LIMIT = 16 * 1024;
    /** Completions after which a client's busy period starts over, so that the figure follows a changing link. */
    static final int BUSY_WINDOW = 8;

    private static final Logger log = LoggerFactory.getLogger(HlsBandwidth.class);
    private static final int MAX_AGENT_LENGTH = 120;
    private static final Pattern URI_ATTRIBUTE = Pattern.compile("URI=\"([^\"]*)\"");
    private static final AttributeKey<Boolean> UNSENT_CAPPED = AttributeKey.valueOf("fluxrelay.hls.unsentCapped");
    private static final FastThreadLocal<TcpFigures> FIGURES = new FastThreadLocal<>() {
        @Override
        protected TcpFigures initialValue() {
            return new TcpFigures();
        }
    };

    /**
     * One request's client in one room: what a timed response is credited to, and what it is judged against.
     *
     * @param roomId the room
     * @param key the client's key ({@link #clientKey})
     * @param against the need of the quality rendition the response belongs to, or null for the program or an input
     *                (judged against the room's requirement)
     */
    record Client(String roomId, String key, BandwidthRequirement against) {

        Client(String roomId, String key) {
            this(roomId, key, null);
        }

        /** Who the client is, whatever it fetches: its overlapping downloads share one link. */
        private Who who() {
            return new Who(roomId, key);
        }
    }

    private record Who(String roomId, String key) {
    }

    /** A client's responses in flight without a break: how many now, since when, bytes and completions since. */
    private static final class Busy {
        int inFlight = 1;
        long sinceNanos;
        long bytes;
        int completions;

        Busy(long sinceNanos) {
            this.sinceNanos = sinceNanos;
        }
    }

    private final BandwidthRegistry registry;
    private final SegmentClients clients;
    private final Duration playbackTokenTtl;
    private final java.util.concurrent.ConcurrentHashMap<Who, Busy> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param registry requirements, policies, tokens and room state
     * @param clients the watches over HLS clients
     * @param playbackTokenTtl how long the tokens written into answered playlists stay valid
     */
    public HlsBandwidth(BandwidthRegistry registry, SegmentClients clients, Duration playbackTokenTtl) {
        this.registry = registry;
        this.clients = clients;
        this.playbackTokenTtl = playbackTokenTtl;
    }

    /** The client key of a request: remote address and User-Agent (HLS clients open several connections). */
    static String clientKey(ChannelHandlerContext ctx, FullHttpRequest request) {
        SocketAddress remote = ctx.channel().remoteAddress();
        String address = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
        String agent = request.headers().get(HttpHeaderNames.USER_AGENT, "-");
        if (agent.length() > MAX_AGENT_LENGTH) {
            agent = agent.substring(0, MAX_AGENT_LENGTH);
        }
        return address + " " + agent;
    }

    /**
     * The token to write into the URIs of an answered playlist ("" when none is needed): under {@code enforce},
     * the measured rate the client was admitted on, valid for the playback token lifetime.
     *
     * @param claims the claims of the token the request was admitted on, or null
     */
    String playlistToken(String roomId, ProbeTokens.Claims claims) {
        if (claims == null || registry.requirement(roomId).policy() != BandwidthPolicy.ENFORCE) {
            return "";
        }
        Duration ttl = playbackTokenTtl.compareTo(registry.tokens().ttl()) > 0 ? playbackTokenTtl : registry.tokens().ttl();
        return registry.tokens().issue(roomId, claims.measuredBitsPerSecond(), claims.method(), ttl);
    }

    /** A multivariant playlist was answered without the program to a viewer below its requirement. */
    void movedDown(String roomId) {
        registry.room(roomId).movedDown();
    }

    /** The query parameter tokens travel in. */
    String tokenParameter() {
        return registry.settings().tokenParameter();
    }

    /** The client to credit a response to, or null when the room is not monitored (nothing is timed). */
    Client watched(String roomId, String client) {
        return registry.settings().monitor().enabled() && registry.requirement(roomId).checked() ? new Client(roomId, client) : null;
    }

    /**
     * The client to credit a response of a quality rendition to, judged against that rendition's need
     * ({@code needBitsPerSecond}, 0 while it is not known: then nothing is timed), or null when the room is not monitored.
     */
    Client watched(String roomId, String client, long needBitsPerSecond) {
        if (needBitsPerSecond <= 0 || watched(roomId, client) == null) {
            return null;
        }
        return new Client(roomId, client, new BandwidthRequirement(needBitsPerSecond, registry.requirement(roomId).policy()));
    }

    /**
     * Called just before a response with {@code bytes} of body is written: true when it is to be timed (large
     * enough, and nothing else is waiting to be sent on the connection, which would be timed with it).
     */
    static boolean timeable(Channel channel, long bytes) {
        if (bytes < MIN_MEASURED_BYTES) {
            return false;
        }
        ChannelOutboundBuffer queued = channel.unsafe().outboundBuffer();
        if (queued != null && queued.totalPendingWriteBytes() > 0) {
            return false;
        }
        if (channel instanceof EpollSocketChannel && channel.attr(UNSENT_CAPPED).setIfAbsent(Boolean.TRUE) == null) {
            channel.config().setOption(EpollChannelOption.TCP_NOTSENT_LOWAT, UNSENT_LIMIT);
        }
        return true;
    }

    /** Times a response written at {@code startNanos} and credits it to {@code client} once the write completes. */
    void timed(Channel channel, ChannelFuture write, Client client, long bytes, long startNanos) {
        inFlight.compute(client.who(), (k, busy) -> {
            if (busy == null) {
                return new Busy(startNanos);
            }
            busy.inFlight++;
            return busy;
        });
        write.addListener(f -> {
            long delivered = 0;
            if (f.isSuccess()) {
                delivered = bytes;
                TcpFigures figures = FIGURES.get();
                if (figures.read(channel) && figures.unackedSegments() > 0) {
                    delivered = Math.max(bytes / 2, bytes - figures.unackedSegments() * figures.mss());
                }
            }
            done(client, delivered, System.nanoTime());
        });
    }

    /** One response of {@code client} done: judged with the others completed in the same busy period. */
    private void done(Client client, long delivered, long nowNanos) {
        long[] sample = new long[2];
        inFlight.computeIfPresent(client.who(), (k, busy) -> {
            busy.bytes += delivered;
            sample[0] = busy.bytes;
            sample[1] = nowNanos - busy.sinceNanos;
            if (++busy.completions >= BUSY_WINDOW) {
                busy.sinceNanos = nowNanos;
                busy.bytes = 0;
                busy.completions = 0;
            }
            return --busy.inFlight > 0 ? busy : null;
        });
        if (delivered > 0 && sample[0] > 0) {
            BandwidthVerdict verdict = clients.delivered(client.roomId(), client.key(), sample[0], sample[1], client.against());
            if (verdict != null) {
                flagged(verdict);
            }
        }
    }

    private void flagged(BandwidthVerdict verdict) {
        if (registry.requirement(verdict.roomId()).policy() == BandwidthPolicy.ENFORCE) {
            registry.room(verdict.roomId()).disconnected();
            log.info("{}: hls client of room {} is persistently below the required rate ({}): its next requests are refused",
                    verdict.viewer(), verdict.roomId(), verdict.figures());
        } else {
            log.warn("{}: hls client of room {} plays below the required rate ({})", verdict.viewer(), verdict.roomId(),
                    verdict.figures());
        }
    }

    /**
     * A playlist with {@code parameter=token} added to every URI it lists: the lines that are URIs and the URI
     * attributes of tags (EXT-X-MAP, EXT-X-PART, EXT-X-PRELOAD-HINT, EXT-X-RENDITION-REPORT; RFC 8216bis 4.4).
     */
    static String withToken(String playlist, String parameter, String token) {
        StringBuilder out = new StringBuilder(playlist.length() + 64 * 8);
        String[] lines = playlist.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i > 0) {
                out.append('\n');
            }
            if (line.isBlank()) {
                out.append(line);
            } else if (line.startsWith("#")) {
                Matcher m = URI_ATTRIBUTE.matcher(line);
                out.append(m.replaceAll(r -> Matcher.quoteReplacement("URI=\"" + addParameter(r.group(1), parameter, token) + "\"")));
            } else {
                out.append(addParameter(line, parameter, token));
            }
        }
        return out.toString();
    }

    private static String addParameter(String uri, String parameter, String token) {
        return uri + (uri.indexOf('?') >= 0 ? '&' : '?') + parameter + "=" + token;
    }
}
