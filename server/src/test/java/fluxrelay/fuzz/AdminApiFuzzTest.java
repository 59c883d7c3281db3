package fluxrelay.fuzz;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.admin.RoomAdmin;
import fluxrelay.http.AdminRateLimiter;
import fluxrelay.http.AdminRoute;
import fluxrelay.http.HttpRouter;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The rooms admin API ({@link AdminRoute} behind the {@link HttpRouter}) driven with sequences of
 * authorised requests over an in-memory room registry, so JSON bodies, ids and sub-resources are what
 * the fuzzer varies. The input is up to 16 requests separated by NUL bytes, each {@code METHOD PATH},
 * a line feed, then the body (paths outside {@code /api/rooms} are put under it). Every request gets
 * exactly one response, a 2xx or 4xx with a JSON body, never a 5xx or a closed connection; no two rooms
 * ever share a stream key; every buffer is released. Seeds: the admin calls captured from curl 7.88.
 */
class AdminApiFuzzTest {

    private static final List<HttpMethod> METHODS = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PATCH,
            HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Room DEMO = new Room("demo", "Demo", "live", "demo-key-0123456789abcdef", true);
    private static FuzzScope scope;
    /** One route for all inputs (its JSON mapper is costly to build); the registries are reset per input. */
    private static InMemoryRoomRegistry rooms;
    private static StreamRegistry streams;
    private static AdminRoute route;

    @BeforeAll
    static void openScope() {
        scope = FuzzScope.open();
        rooms = new InMemoryRoomRegistry(List.of(DEMO));
        streams = new StreamRegistry(new StreamLimits(64 * 1024, 64));
        route = new AdminRoute(new RoomAdmin(rooms, streams, new fluxrelay.ingest.LocalRoomLocator(streams), null, Runnable::run, room -> { }, 8,
                fluxrelay.bandwidth.BandwidthRegistry.disabled(), java.util.Map.of()),
                HttpPipelineFuzzTest.TOKEN, fluxrelay.http.AdminAccess.of(HttpPipelineFuzzTest.TOKEN, "localhost", List.of()),
                new AdminRateLimiter(Integer.MAX_VALUE), new AdminRateLimiter(Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @AfterAll
    static void closeScope() {
        scope.close();
    }

    @FuzzTest
    void adminRequests(byte[] input) throws Exception {
        scope.clear();
        TrackingAllocator alloc = new TrackingAllocator();
        List.copyOf(rooms.all()).forEach(room -> rooms.remove(room.id()));
        rooms.put(DEMO);
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRouter(List.of(route)));
        channel.config().setAllocator(alloc);
        try {
            int start = 0;
            for (int n = 0; n < 16 && start <= input.length; n++) {
                int end = indexOf(input, (byte) 0, start);
                FullHttpRequest request = request(input, start, end, alloc);
                if (request == null) {
                    start = end + 1;
                    continue;
                }
                String line = request.method() + " " + request.uri();
                channel.writeInbound(request);
                channel.runPendingTasks();
                FullHttpResponse response = channel.readOutbound();
                try {
                    assertTrue(response != null, "no response to " + line);
                    int status = response.status().code();
                    assertTrue(status >= 200 && status < 500, status + " for " + line + ": "
                            + response.content().toString(StandardCharsets.UTF_8));
                    if (request.method() != HttpMethod.HEAD) {
                        JSON.readTree(response.content().toString(StandardCharsets.UTF_8)); // throws unless JSON
                    }
                } finally {
                    ReferenceCountUtil.release(response);
                }
                assertNull(channel.readOutbound(), "a second response to " + line);
                assertTrue(channel.isOpen(), "connection closed after " + line);
                assertKeysUnique(rooms);
                start = end + 1;
            }
        } finally {
            streams.close();
            channel.finishAndReleaseAll();
        }
        alloc.assertAllReleased("admin API");
        scope.assertNoUnexpectedFailure("admin API");
    }

    /** The request, or null when its target is no valid request-target (the HTTP decoder never passes one on). */
    private static FullHttpRequest request(byte[] input, int start, int end, TrackingAllocator alloc) {
        int lineEnd = indexOf(input, (byte) '\n', start);
        lineEnd = Math.min(lineEnd, end);
        String line = new String(input, start, lineEnd - start, StandardCharsets.ISO_8859_1);
        int space = line.indexOf(' ');
        String name = space < 0 ? line : line.substring(0, space);
        String path = space < 0 ? "" : line.substring(space + 1);
        HttpMethod method = METHODS.stream().filter(m -> m.name().equals(name)).findFirst().orElse(HttpMethod.GET);
        String uri = path.startsWith("/api/rooms") ? path : "/api/rooms" + (path.startsWith("/") ? "" : "/") + path;
        int bodyStart = Math.min(lineEnd + 1, end);
        ByteBuf body = alloc.copyOf(input, bodyStart, end - bodyStart);
        FullHttpRequest request;
        try {
            request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, body);
        } catch (IllegalArgumentException e) {
            body.release();
            return null;
        }
        request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer " + HttpPipelineFuzzTest.TOKEN);
        request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return request;
    }

    /** Two rooms with one stream key would let one room's encoder publish into the other. */
    private static void assertKeysUnique(InMemoryRoomRegistry rooms) {
        Set<String> keys = new HashSet<>();
        for (Room room : rooms.all()) {
            assertTrue(keys.add(room.app() + "/" + room.streamName()), "two rooms publish with one key: " + rooms.all());
        }
    }

    private static int indexOf(byte[] input, byte value, int from) {
        for (int i = from; i < input.length; i++) {
            if (input[i] == value) {
                return i;
            }
        }
        return input.length;
    }
}
