package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fluxrelay.admin.RoomAdmin;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.http.AdminRateLimiter;
import fluxrelay.http.AdminRoute;
import fluxrelay.http.HealthRoute;
import fluxrelay.http.HttpFlvRoute;
import fluxrelay.http.HttpRoute;
import fluxrelay.http.HttpRouter;
import fluxrelay.http.MetricsRoute;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The HTTP listener's pipeline (codec, aggregator, router) with the real routes (health, metrics,
 * admin API with a token, HTTP-FLV over an in-memory room) fed arbitrary bytes in socket-sized reads.
 * Whatever the bytes: no exception reaches a handler's error path, no route throws, every path a route
 * sees is {@link HttpPathFuzzTest#assertSafe safe}, no response is a 5xx, nothing is logged as an
 * unexpected failure, and every buffer is released once the connection closes. Seeds: requests
 * captured from curl 7.88 and ffprobe 5.1, and two of them pipelined.
 */
class HttpPipelineFuzzTest {

    static final String TOKEN = "fuzz-token-0123456789abcdef";
    private static FuzzScope scope;

    @BeforeAll
    static void openScope() {
        scope = FuzzScope.open();
    }

    @AfterAll
    static void closeScope() {
        scope.close();
    }

    @FuzzTest
    void httpRequests(byte[] input) {
        scope.clear();
        TrackingAllocator alloc = new TrackingAllocator();
        InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("demo", "Demo", "live", "demo-key-0123456789abcdef", true)));
        StreamRegistry streams = new StreamRegistry(new StreamLimits(64 * 1024, 64));
        List<String> failures = new ArrayList<>();
        List<HttpRoute> routes = new ArrayList<>();
        routes.add((ctx, request, path) -> {
            HttpPathFuzzTest.assertSafe(path);
            return false;
        });
        for (HttpRoute route : List.of(new HealthRoute(() -> true), new MetricsRoute(() -> "# TYPE up gauge\nup 1\n"),
                new AdminRoute(new RoomAdmin(rooms, streams, new fluxrelay.ingest.LocalRoomLocator(streams), null, Runnable::run, room -> { }, 8,
                fluxrelay.bandwidth.BandwidthRegistry.disabled(), java.util.Map.of()), TOKEN, fluxrelay.http.AdminAccess.of(TOKEN, "localhost", List.of()),
                new AdminRateLimiter(6000), new AdminRateLimiter(6000, 6000)),
                new HttpFlvRoute(new fluxrelay.playback.PlaybackService(rooms, streams, BandwidthRegistry.disabled(), null, 1000),
                        new ViewerLimits(1 << 20, Duration.ofSeconds(10), Duration.ZERO), new EgressCounters("http-flv"),
                        () -> true, ActivityListener.NONE, BandwidthRegistry.disabled()))) {
            routes.add((ctx, request, path) -> handle(route, ctx, request, path, failures));
        }
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new Watch(failures),
                new HttpObjectAggregator(64 * 1024), new Watch(failures), new HttpRouter(routes));
        try {
            for (int[] piece : Pieces.of(input)) {
                if (!channel.isOpen()) {
                    break;
                }
                channel.writeInbound(alloc.copyOf(input, piece[0], piece[1] - piece[0]));
                channel.runPendingTasks();
                channel.releaseOutbound();
                assertTrue(failures.isEmpty(), failures.toString());
            }
        } finally {
            channel.close(); // the client goes away, perhaps mid-request
            streams.close();
            channel.runPendingTasks();
            channel.finishAndReleaseAll();
        }
        assertTrue(failures.isEmpty(), failures.toString());
        alloc.assertAllReleased("HTTP pipeline");
        scope.assertNoUnexpectedFailure("HTTP pipeline");
    }

    private static boolean handle(HttpRoute route, ChannelHandlerContext ctx, FullHttpRequest request, String path,
            List<String> failures) {
        try {
            return route.handle(ctx, request, path);
        } catch (RuntimeException | AssertionError e) {
            failures.add(route.getClass().getSimpleName() + " threw on " + request.method() + " " + path + ": " + e);
            throw e;
        }
    }

    /**
     * Records every response status written through it, failing on a 5xx, and every exception passing by,
     * except the aggregator's notice that the connection closed mid-request (the client went away, or the
     * server closed after answering a request that asked for it while the next one was still arriving).
     */
    private static final class Watch extends ChannelDuplexHandler {
        private final List<String> failures;

        Watch(List<String> failures) {
            this.failures = failures;
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpResponse response && response.status().code() >= 500) {
                failures.add("server error " + response.status());
            }
            ctx.write(msg, promise);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof PrematureChannelClosureException && !ctx.channel().isActive())) {
                failures.add("exception in the pipeline: " + cause);
            }
            ctx.fireExceptionCaught(cause);
        }
    }
}
