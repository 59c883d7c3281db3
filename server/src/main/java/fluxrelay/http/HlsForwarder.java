package fluxrelay.http;

import fluxrelay.stream.FeedId;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster edge's HLS: requests for a room another node originates go to that node's HTTP port, signed with the
 * cluster secret, and its answers come back to the viewer, so every node answers a room's HLS with the origin's
 * playlists (the same media sequence numbers, segments, parts and URIs) and a blocking playlist reload waits at the
 * origin for its part. The viewer was admitted here (room, access token, bandwidth policy); the query goes on as it came,
 * with the bandwidth token this node issued. Segments, parts and init sections are immutable: they are kept here for
 * their {@code max-age}, at most {@code relay.cluster.hls-cache} in all, so a segment crosses between two nodes once however many
 * viewers of the edge ask for it. Nothing waits on an event loop: the request and the Redis look-ups are asynchronous.
 */
public final class HlsForwarder {

    private static final Logger log = LoggerFactory.getLogger(HlsForwarder.class);

    /** The header carrying an edge's signature on a forwarded request. */
    public static final String HEADER = "Fluxrelay-Forwarded-Hls";
    /** Longest wait for the origin's answer: above a blocking playlist reload's longest hold. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    /** How long caches may keep a playlist answered in place of an unreachable origin's. */
    static final String STALE_CACHE_CONTROL = "public, max-age=1";
    /** A held blocking reload asks the room's origin again this often. */
    static final long RETRY_MILLIS = 500;
    /** Playlists kept for the stale grace, at most (three per room: a thousand rooms). */
    static final int MAX_STALE = 3000;
    private static final Pattern MAX_AGE = Pattern.compile("max-age=(\\d+)");

    /** Where a feed's HLS comes from. */
    public interface Origins {
        /**
         * Empty when this node answers {@code feed} itself, known at once; else the origin's HTTP address
         * ({@code host:port}) when another node originates the feed (holds its publish lease), or empty when this node
         * answers after all.
         */
        Optional<CompletionStage<Optional<String>>> elsewhere(FeedId feed);
    }

    /** Signs a forwarded request and checks one (the cluster secret). */
    public interface Signer {
        /** The {@link #HEADER} value for a request of {@code path}. */
        String sign(String path);

        /** Why a {@link #HEADER} value for {@code path} is refused; empty when valid. */
        Optional<String> refusal(String header, String path);
    }

    /** The last playlist relayed under a path, for answering while the room has no reachable origin. */
    private record Stale(byte[] body, String contentType, String etag, long lastModified, long atNanos) {
    }

    private record Cached(byte[] body, String contentType, String cacheControl, String etag, long lastModified, long expiresNanos) {
    }

    private final Origins origins;
    private final Signer signer;
    private final HttpClient client;
    private final Map<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true);
    private final long cacheBytes;
    private long cachedBytes;
    /** Insertion-ordered: the playlist relayed longest ago goes first when there are too many. */
    private final Map<String, Stale> stale = new LinkedHashMap<>();
    private final long staleGraceNanos;

    /** @param cacheBytes most bytes of segments and parts kept (0: none) */
    public HlsForwarder(Origins origins, Signer signer, long cacheBytes) {
        this(origins, signer, cacheBytes, Duration.ZERO);
    }

    /**
     * @param cacheBytes most bytes of segments and parts kept (0: none)
     * @param staleGrace how long after relaying a playlist it may stand in while the room has no origin that answers
     *                   (a failover); zero: never
     */
    public HlsForwarder(Origins origins, Signer signer, long cacheBytes, Duration staleGrace) {
        this.staleGraceNanos = staleGrace.toNanos();
        this.cacheBytes = cacheBytes;
        this.origins = origins;
        this.signer = signer;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Why a forwarded request's {@link #HEADER} value is refused; empty when valid. */
    Optional<String> refusal(String header, String path) {
        return signer.refusal(header, path);
    }

    /**
     * Answers the request from the feed's origin when another node originates it: the request's path goes there as
     * it is, so a room's and an input's URLs forward alike, each to the node holding that feed's publish lease.
     *
     * @param bandwidthParameter the bandwidth token's query parameter
     * @param bandwidthToken the token this node issued for the playlist's URIs, or empty
     * @param here answers a copy of the request on this node when the look-up finds no other origin (on the event loop)
     * @return false when this node answers the request itself, known at once
     */
    boolean forward(ChannelHandlerContext ctx, FullHttpRequest request, String path, FeedId feed, boolean playlist,
                    String bandwidthParameter, String bandwidthToken, java.util.function.Consumer<FullHttpRequest> here) {
        Optional<CompletionStage<Optional<String>>> origin = origins.elsewhere(feed);
        if (origin.isEmpty()) {
            return false;
        }
        if (!playlist && serveCached(ctx, request, path)) {
            return true;
        }
        FullHttpRequest kept = request.replace(Unpooled.EMPTY_BUFFER);
        String target = target(request.uri(), bandwidthParameter, bandwidthToken);
        boolean blocking = playlist && new QueryStringDecoder(request.uri()).parameters().containsKey("_HLS_msn");
        send(ctx, new Forwarded(kept, path, feed, playlist, blocking, target, here, false), origin.get());
        return true;
    }

    /** A request on its way to the origin, perhaps again ({@code held}: a blocking reload held through a failover). */
    private record Forwarded(FullHttpRequest request, String path, FeedId feed, boolean playlist, boolean blocking,
                             String target, java.util.function.Consumer<FullHttpRequest> here, boolean held) {
    }

    private void send(ChannelHandlerContext ctx, Forwarded f, CompletionStage<Optional<String>> origin) {
        origin.whenComplete((address, error) -> {
            if (error != null) {
                ctx.executor().execute(() -> {
                    if (!unreachable(ctx, f)) {
                        fail(ctx, f.request(), "The room's origin node is not known.");
                    }
                });
                return;
            }
            if (address.isEmpty()) {
                // No node originates the room: between a dead origin's lease and its successor's, the last playlist.
                ctx.executor().execute(() -> {
                    if (!unreachable(ctx, f)) {
                        f.here().accept(f.request());
                    }
                });
                return;
            }
            HttpRequest outgoing = HttpRequest.newBuilder(URI.create("http://" + address.get() + f.target())).timeout(ANSWER_TIMEOUT)
                    .header(HEADER, signer.sign(f.path())).GET().build();
            client.sendAsync(outgoing, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((answer, failure) ->
                    ctx.executor().execute(() -> answer(ctx, f, answer, failure, address.get())));
        });
    }

    /**
     * The room has no origin that answers (it died, its successor has not taken the room or answers 404): a
     * playlist relayed within the stale grace is answered with that playlist for a moment, and a blocking reload is
     * asked again until the grace ends. False when none of this applies: the caller answers as without a cluster.
     */
    private boolean unreachable(ChannelHandlerContext ctx, Forwarded f) {
        if (!f.playlist() || !ctx.channel().isActive()) {
            return !ctx.channel().isActive();
        }
        Stale last = stale(f.path());
        if (last == null && f.held()) {
            HlsRoute.problem(ctx, f.request(), HttpResponseStatus.SERVICE_UNAVAILABLE, "The part did not come in time.", 1);
            return true;
        }
        if (last == null) {
            return false;
        }
        if (!f.blocking()) {
            HlsRoute.serve(ctx, f.request(), Unpooled.wrappedBuffer(last.body()), last.contentType(), STALE_CACHE_CONTROL,
                    last.etag(), last.lastModified(), null, null);
            return true;
        }
        long left = last.atNanos() + staleGraceNanos - System.nanoTime();
        if (left <= 0) {
            HlsRoute.problem(ctx, f.request(), HttpResponseStatus.SERVICE_UNAVAILABLE, "The part did not come in time.", 1);
            return true;
        }
        Forwarded again = new Forwarded(f.request(), f.path(), f.feed(), true, true, f.target(), f.here(), true);
        ctx.executor().schedule(() -> {
            Optional<CompletionStage<Optional<String>>> origin = origins.elsewhere(f.feed());
            if (origin.isEmpty()) {
                f.here().accept(f.request()); // this node took the room over meanwhile
            } else {
                send(ctx, again, origin.get());
            }
        }, Math.min(RETRY_MILLIS, TimeUnit.NANOSECONDS.toMillis(left) + 1), TimeUnit.MILLISECONDS);
        return true;
    }

    /** The URI for the origin: the viewer's, with this node's bandwidth token when it issued one. */
    private static String target(String uri, String bandwidthParameter, String bandwidthToken) {
        if (bandwidthToken.isEmpty()) {
            return uri;
        }
        QueryStringDecoder in = new QueryStringDecoder(uri);
        QueryStringEncoder out = new QueryStringEncoder(in.rawPath());
        for (Map.Entry<String, List<String>> parameter : in.parameters().entrySet()) {
            if (!parameter.getKey().equals(bandwidthParameter)) {
                parameter.getValue().forEach(value -> out.addParam(parameter.getKey(), value));
            }
        }
        out.addParam(bandwidthParameter, bandwidthToken);
        return out.toString();
    }

    private void answer(ChannelHandlerContext ctx, Forwarded f, HttpResponse<byte[]> answer, Throwable failure, String address) {
        FullHttpRequest request = f.request();
        String path = f.path();
        boolean playlist = f.playlist();
        if (failure != null) {
            log.warn("HLS {}: origin {} did not answer: {}", path, address, failure.toString());
            if (unreachable(ctx, f)) {
                return;
            }
            boolean timedOut = failure instanceof HttpTimeoutException || failure.getCause() instanceof HttpTimeoutException;
            HlsRoute.problem(ctx, request, timedOut ? HttpResponseStatus.GATEWAY_TIMEOUT : HttpResponseStatus.BAD_GATEWAY,
                    "The room's origin node did not answer.", 1);
            return;
        }
        int status = answer.statusCode();
        if ((status == 404 || status >= 502 && status <= 504) && unreachable(ctx, f)) {
            return;
        }
        java.net.http.HttpHeaders in = answer.headers();
        String contentType = in.firstValue("content-type").orElse("application/octet-stream");
        String cacheControl = in.firstValue("cache-control").orElse("no-cache");
        if (answer.statusCode() == 200) {
            String etag = in.firstValue("etag").orElse("\"" + path + "\"");
            Date modified = in.firstValue("last-modified").map(DateFormatter::parseHttpDate).orElse(null);
            long lastModified = modified == null ? System.currentTimeMillis() : modified.getTime();
            if (!playlist && cacheControl.contains("immutable")) {
                keep(path, new Cached(answer.body(), contentType, cacheControl, etag, lastModified, System.nanoTime()
                        + Duration.ofSeconds(maxAge(cacheControl)).toNanos()));
            } else if (playlist && staleGraceNanos > 0 && !cacheControl.contains("private")) {
                // Only playlists any viewer may see: a private one carries its viewer's tokens.
                keepStale(path, new Stale(answer.body(), contentType, etag, lastModified, System.nanoTime()));
            }
            HlsRoute.serve(ctx, request, Unpooled.wrappedBuffer(answer.body()), contentType, cacheControl, etag, lastModified, null, null);
            return;
        }
        // The origin's refusal or problem as it is (404, 503 with Retry-After, 400 for a bad _HLS_msn...).
        boolean head = HttpMethod.HEAD.equals(request.method());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(answer.statusCode()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(answer.body()));
        HttpHeaders out = response.headers();
        out.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        out.set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        out.set(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        in.firstValue("retry-after").ifPresent(value -> out.set(HttpHeaderNames.RETRY_AFTER, value));
        HlsRoute.cors(out);
        HlsRoute.send(ctx, request, response);
    }

    private static void fail(ChannelHandlerContext ctx, FullHttpRequest request, String message) {
        HlsRoute.problem(ctx, request, HttpResponseStatus.BAD_GATEWAY, message, 1);
    }

    private static long maxAge(String cacheControl) {
        Matcher m = MAX_AGE.matcher(cacheControl);
        return m.find() ? Math.min(Long.parseLong(m.group(1)), 86_400) : 0;
    }

    /** Answers from the cache when it holds {@code path} (media of a room another node originates or originated). */
    boolean serveCached(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        Cached hit = cached(path);
        if (hit == null) {
            return false;
        }
        HlsRoute.serve(ctx, request, Unpooled.wrappedBuffer(hit.body()), hit.contentType(), hit.cacheControl(), hit.etag(),
                hit.lastModified(), null, null);
        return true;
    }

    /** The last playlist relayed under {@code path}, when that was within the stale grace. */
    private Stale stale(String path) {
        synchronized (stale) {
            Stale last = stale.get(path);
            if (last != null && System.nanoTime() - last.atNanos() >= staleGraceNanos) {
                stale.remove(path);
                return null;
            }
            return last;
        }
    }

    private void keepStale(String path, Stale entry) {
        synchronized (stale) {
            stale.put(path, entry);
            var eldest = stale.entrySet().iterator();
            while (stale.size() > MAX_STALE && eldest.hasNext()) {
                eldest.next();
                eldest.remove();
            }
        }
    }

    private synchronized Cached cached(String path) {
        Cached hit = cache.get(path);
        if (hit != null && hit.expiresNanos() - System.nanoTime() < 0) {
            cache.remove(path);
            cachedBytes -= hit.body().length;
            return null;
        }
        return hit;
    }

    private synchronized void keep(String path, Cached entry) {
        if (entry.body().length > cacheBytes / 8) {
            return;
        }
        Cached old = cache.put(path, entry);
        if (old != null) {
            cachedBytes -= old.body().length;
        }
        cachedBytes += entry.body().length;
        var eldest = cache.entrySet().iterator();
        while (cachedBytes > cacheBytes && eldest.hasNext()) {
            cachedBytes -= eldest.next().getValue().body().length;
            eldest.remove();
        }
    }
}
