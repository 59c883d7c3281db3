package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.admin.AdminException;
import fluxrelay.admin.BandwidthChoice;
import fluxrelay.admin.RoomAdmin;
import fluxrelay.admin.RoomPersistence;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.ingest.LocalRoomLocator;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@link AdminRoute} behind the router on an embedded channel: what a browser can be made to send (cross-site
 * writes, DNS rebinding), token guessing, the bearer scheme, titles and the caller named in the change log.
 */
class AdminRouteTest {

    private static final String TOKEN = "admin-token-0123456789";
    private static final String KEY = "demo-key-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(new Room("demo", "Demo", "live", KEY, true)));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(64 * 1024, 64));
    private final RoomAdmin admin = new RoomAdmin(rooms, streams, new LocalRoomLocator(streams), null, Runnable::run, room -> { },
            8, BandwidthRegistry.disabled(), Map.of());

    @AfterEach
    void close() {
        streams.close();
    }

    /** The route with this token (empty: loopback only), the listener's host and extra host names, 10 failures a minute. */
    private AdminRoute route(String token, List<String> allowedHosts) {
        return new AdminRoute(admin, token, AdminAccess.of(token, "0.0.0.0", allowedHosts), new AdminRateLimiter(6000),
                new AdminRateLimiter(10, 10));
    }

    /** A channel whose peer is {@code ip}. */
    private static EmbeddedChannel channel(AdminRoute route, String ip) {
        return new EmbeddedChannel(new HttpRouter(List.of(route))) {
            @Override
            protected SocketAddress remoteAddress0() {
                return new InetSocketAddress(ip, 50_000);
            }
        };
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body, String... headers) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().set(HttpHeaderNames.HOST, "localhost:8080");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().set(headers[i], headers[i + 1]);
        }
        return request;
    }

    /** Sends one request and returns the response (status, headers, JSON body). */
    private static Answer send(EmbeddedChannel channel, FullHttpRequest request) throws Exception {
        channel.writeInbound(request);
        channel.runPendingTasks();
        FullHttpResponse response = channel.readOutbound();
        assertNotNull(response, "no response to " + request.method() + " " + request.uri());
        try {
            String body = response.content().toString(StandardCharsets.UTF_8);
            return new Answer(response.status().code(), response.headers().get(HttpHeaderNames.RETRY_AFTER),
                    body.isEmpty() ? null : JSON.readTree(body));
        } finally {
            response.release();
        }
    }

    private record Answer(int status, String retryAfter, JsonNode body) {
    }

    private String key() {
        return rooms.findById("demo").orElseThrow().streamName();
    }

    @Test
    void crossSiteWritesAreRefusedAndOwnOnesServed() throws Exception {
        EmbeddedChannel channel = channel(route("", List.of()), "127.0.0.1");
        // A page on another site can send a text/plain form POST without a preflight.
        Answer plain = send(channel, request(HttpMethod.POST, "/api/rooms/demo/stream-name", "{}",
                "Content-Type", "text/plain", "Origin", "http://evil.example"));
        assertEquals(403, plain.status());
        assertEquals(KEY, key(), "the key is unchanged");
        Answer form = send(channel, request(HttpMethod.POST, "/api/rooms/demo/stream-name", "",
                "Content-Type", "application/x-www-form-urlencoded"));
        assertEquals(415, form.status());
        assertTrue(form.body().get("error").asText().contains("application/json"), form.body().toString());
        assertEquals(415, send(channel, request(HttpMethod.POST, "/api/rooms/demo/live", "")).status(), "no content type");
        assertEquals(415, send(channel, request(HttpMethod.DELETE, "/api/rooms/demo", "")).status());
        assertEquals(403, send(channel, request(HttpMethod.POST, "/api/rooms/demo/stream-name", "{}",
                "Content-Type", "application/json", "Origin", "null")).status(), "a sandboxed page");
        assertEquals(403, send(channel, request(HttpMethod.GET, "/api/rooms", "", "Origin", "http://localhost:3000")).status(),
                "another port is another origin");
        assertEquals(KEY, key());

        Answer own = send(channel, request(HttpMethod.POST, "/api/rooms/demo/stream-name", "",
                "Content-Type", "application/json; charset=utf-8", "Origin", "http://localhost:8080"));
        assertEquals(200, own.status(), String.valueOf(own.body()));
        assertTrue(!KEY.equals(key()), "rotated by a same-origin JSON request");
        assertEquals(200, send(channel, request(HttpMethod.GET, "/api/rooms", "")).status(), "reads need no content type");
        channel.finishAndReleaseAll();
    }

    @Test
    void onlyLoopbackAndConfiguredHostNamesAreAnswered() throws Exception {
        EmbeddedChannel channel = channel(route("", List.of("relay.lan")), "127.0.0.1");
        for (String host : List.of("evil.example", "evil.example:8080", "localhost.evil.example", "10.0.0.7:8080")) {
            Answer answer = send(channel, request(HttpMethod.GET, "/api/rooms/demo", "", "Host", host));
            assertEquals(421, answer.status(), host);
            assertTrue(answer.body().get("error").asText().contains("relay.admin.allowed-hosts"), answer.body().toString());
        }
        for (String host : List.of("localhost", "LOCALHOST:8080", "127.0.0.1:8080", "[::1]:8080", "relay.lan:8080", "relay.lan.")) {
            assertEquals(200, send(channel, request(HttpMethod.GET, "/api/rooms/demo", "", "Host", host)).status(), host);
        }
        channel.finishAndReleaseAll();

        EmbeddedChannel withToken = channel(route(TOKEN, List.of()), "10.0.0.9");
        assertEquals(200, send(withToken, request(HttpMethod.GET, "/api/rooms", "", "Host", "relay.example.org",
                "Authorization", "Bearer " + TOKEN)).status(), "a token and no configured names: any host name");
        withToken.finishAndReleaseAll();
        EmbeddedChannel listed = channel(route(TOKEN, List.of("relay.example.org")), "10.0.0.9");
        assertEquals(421, send(listed, request(HttpMethod.GET, "/api/rooms", "", "Host", "other.example.org",
                "Authorization", "Bearer " + TOKEN)).status(), "configured names apply with a token too");
        listed.finishAndReleaseAll();
    }

    @Test
    void wrongTokensFromOneAddressAreLimited() throws Exception {
        AdminRoute route = route(TOKEN, List.of());
        EmbeddedChannel guesser = channel(route, "10.0.0.5");
        for (int i = 0; i < 10; i++) {
            assertEquals(401, send(guesser, request(HttpMethod.GET, "/api/rooms", "", "Authorization", "Bearer guess-" + i)).status());
        }
        Answer limited = send(guesser, request(HttpMethod.GET, "/api/rooms", "", "Authorization", "Bearer guess-10"));
        assertEquals(429, limited.status());
        assertTrue(Long.parseLong(limited.retryAfter()) >= 1, "Retry-After " + limited.retryAfter());
        assertEquals(429, send(guesser, request(HttpMethod.GET, "/api/rooms", "", "Authorization", "Bearer " + TOKEN)).status(),
                "while limited not even the right token is checked");
        guesser.finishAndReleaseAll();

        EmbeddedChannel other = channel(route, "10.0.0.6");
        assertEquals(200, send(other, request(HttpMethod.GET, "/api/rooms", "", "Authorization", "Bearer " + TOKEN)).status(),
                "other addresses are not affected");
        other.finishAndReleaseAll();
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        EmbeddedChannel channel = channel(route(TOKEN, List.of()), "10.0.0.5");
        for (String header : List.of("Bearer " + TOKEN, "bearer " + TOKEN, "BEARER  " + TOKEN, "bEaReR " + TOKEN + " ")) {
            assertEquals(200, send(channel, request(HttpMethod.GET, "/api/rooms", "", "Authorization", header)).status(), header);
        }
        assertEquals(401, send(channel, request(HttpMethod.GET, "/api/rooms", "", "Authorization", "Basic " + TOKEN)).status());
        assertEquals(401, send(channel, request(HttpMethod.GET, "/api/rooms", "", "Authorization", "Bearer" + TOKEN)).status());
        channel.finishAndReleaseAll();
    }

    @Test
    void titlesWithControlOrDirectionOverrideCharactersAreRefused() throws Exception {
        EmbeddedChannel channel = channel(route("", List.of()), "127.0.0.1");
        int n = 0;
        for (String title : List.of("a\\u0000b", "\\u001b[31mred", "line\\nbreak", "\\u202egnp.exe", "x\\u2066y\\u2069", "\\u0085",
                "\\u2028", "\\ud800")) {
            Answer answer = send(channel, request(HttpMethod.POST, "/api/rooms", "{\"id\":\"r" + n++ + "\",\"title\":\"" + title + "\"}",
                    "Content-Type", "application/json"));
            assertEquals(400, answer.status(), title);
            assertEquals("title", answer.body().get("field").asText(), title);
        }
        assertEquals(400, send(channel, request(HttpMethod.PATCH, "/api/rooms/demo", "{\"title\":\"\\u202eDemo\"}",
                "Content-Type", "application/json")).status());
        Answer fine = send(channel, request(HttpMethod.POST, "/api/rooms", "{\"id\":\"ok\",\"title\":\"Caf\u00e9 \u2013 \u05e9\u05dc\u05d5\u05dd \u65e5\u672c\"}",
                "Content-Type", "application/json"));
        assertEquals(201, fine.status(), String.valueOf(fine.body()));
        channel.finishAndReleaseAll();
    }

    @Test
    void everyChangeLogLineNamesTheCaller() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(RoomAdmin.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            EmbeddedChannel channel = channel(route(TOKEN, List.of()), "10.1.2.3");
            String[] auth = {"Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"};
            assertEquals(201, send(channel, request(HttpMethod.POST, "/api/rooms", "{\"id\":\"talk\"}", auth)).status());
            assertEquals(200, send(channel, request(HttpMethod.PATCH, "/api/rooms/talk", "{\"title\":\"Talk\"}", auth)).status());
            assertEquals(200, send(channel, request(HttpMethod.POST, "/api/rooms/talk/stream-name", "", auth)).status());
            assertEquals(201, send(channel, request(HttpMethod.POST, "/api/rooms/talk/inputs", "{\"id\":\"cam2\"}", auth)).status());
            assertEquals(200, send(channel, request(HttpMethod.POST, "/api/rooms/talk/inputs/cam2/stream-name", "", auth)).status());
            assertEquals(200, send(channel, request(HttpMethod.DELETE, "/api/rooms/talk/inputs/cam2", "", auth)).status());
            assertEquals(200, send(channel, request(HttpMethod.POST, "/api/rooms/talk/live", "", auth)).status());
            assertEquals(200, send(channel, request(HttpMethod.DELETE, "/api/rooms/talk/live", "", auth)).status());
            assertEquals(200, send(channel, request(HttpMethod.DELETE, "/api/rooms/talk", "", auth)).status());
            channel.finishAndReleaseAll();
        } finally {
            logger.detachAppender(log);
        }
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.startsWith("admin:")).toList();
        assertEquals(9, lines.size(), lines.toString());
        lines.forEach(line -> assertTrue(line.endsWith("by 10.1.2.3"), line));
    }

    @Test
    void inputChangesAnswerLikeOtherRoomChangesAndAnUnreachableStoreChangesNothing() throws Exception {
        RoomPersistence unreachable = new RoomPersistence() {
            @Override
            public CompletableFuture<Void> save(Room room, BandwidthChoice own) {
                return CompletableFuture.failedFuture(AdminException.unavailable("the room store cannot be reached"));
            }

            @Override
            public CompletableFuture<Void> delete(String id) {
                return CompletableFuture.failedFuture(AdminException.unavailable("the room store cannot be reached"));
            }

            @Override
            public BandwidthChoice own(String id) {
                return BandwidthChoice.NONE;
            }
        };
        RoomAdmin offline = new RoomAdmin(rooms, streams, new LocalRoomLocator(streams), unreachable, room -> { }, 8,
                BandwidthRegistry.disabled());
        EmbeddedChannel channel = channel(new AdminRoute(offline, TOKEN, AdminAccess.of(TOKEN, "0.0.0.0", List.of()),
                new AdminRateLimiter(6000), new AdminRateLimiter(10, 10)), "10.1.2.3");
        String[] auth = {"Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"};
        assertEquals(503, send(channel, request(HttpMethod.POST, "/api/rooms/demo/inputs", "{\"id\":\"cam2\"}", auth)).status());
        assertEquals(503, send(channel, request(HttpMethod.POST, "/api/rooms/demo/inputs/main/stream-name", "", auth)).status());
        assertEquals(1, rooms.findById("demo").orElseThrow().feeds().size(), "nothing was added");
        assertEquals(KEY, rooms.findById("demo").orElseThrow().streamName(), "nor rotated");
        assertEquals(405, send(channel, request(HttpMethod.PUT, "/api/rooms/demo/inputs", "{}", auth)).status());
        assertEquals(404, send(channel, request(HttpMethod.GET, "/api/rooms/nowhere/inputs", "", auth)).status());
        assertEquals(404, send(channel, request(HttpMethod.POST, "/api/rooms/demo/inputs/main/other", "", auth)).status());
        Answer unknown = send(channel, request(HttpMethod.POST, "/api/rooms/demo/inputs", "{\"id\":\"cam2\",\"x\":1}", auth));
        assertEquals(400, unknown.status());
        assertEquals("x", unknown.body().get("field").asText());
        assertEquals("main", send(channel, request(HttpMethod.GET, "/api/rooms/demo/inputs", "", auth)).body().get("inputs")
                .get(0).get("id").asText());
        channel.finishAndReleaseAll();
    }
}
