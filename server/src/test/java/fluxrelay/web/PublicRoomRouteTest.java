package fluxrelay.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fluxrelay.http.HttpRouter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link PublicRoomRoute}: what an attendee's page may know of a room, and its changes as server-sent events. */
class PublicRoomRouteTest {

    private static final String KEY = "k3y-that-must-never-leak-2f9a";

    private final Map<String, Map<String, Object>> rooms = new ConcurrentHashMap<>();
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpRouter(List.of(new PublicRoomRoute(rooms::get,
            new PublicRoomRoute.Offer(true, "access", "bwtoken", () -> 1935)))));
    private final ObjectMapper json = new ObjectMapper();

    /** The admin view's shape (GET /api/rooms/{id}), with everything secret filled in. */
    private static Map<String, Object> adminView(boolean live, boolean shown) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", "keynote");
        view.put("title", "Keynote");
        view.put("app", "live");
        view.put("streamName", KEY);
        view.put("live", live);
        view.put("shown", shown);
        view.put("publishing", live);
        view.put("viewerAccess", "token");
        view.put("publisher", Map.of("address", "/10.0.0.7:51000", "encoder", "obs-output module"));
        view.put("viewers", Map.of("total", 3, "lagging", 0));
        view.put("inputs", List.of(Map.of("id", "main", "streamName", KEY, "publishing", live)));
        view.put("bandwidth", Map.of("requiredMbps", 3.0, "policy", "enforce", "flagged", List.of(Map.of("viewer", "/10.0.0.9:1"))));
        return view;
    }

    @Test
    void aRoomWithSeveralInputsListsTheirIdsAndUrlsButNoKeys() throws Exception {
        Map<String, Object> view = adminView(true, true);
        view.put("inputs", List.of(Map.of("id", "main", "streamName", KEY, "publishing", true, "onAir", false),
                Map.of("id", "cam2", "streamName", KEY + "-2", "publishing", true, "onAir", true)));
        rooms.put("keynote", view);
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/public/rooms/keynote"));
        FullHttpResponse response = channel.readOutbound();
        String body = response.content().toString(StandardCharsets.UTF_8);
        response.release();
        assertFalse(body.contains(KEY) || body.contains("streamName"), body);
        JsonNode inputs = json.readTree(body).path("inputs");
        assertEquals(2, inputs.size(), body);
        assertEquals("main", inputs.get(0).path("id").asText());
        assertFalse(inputs.get(0).path("onAir").asBoolean());
        assertEquals("cam2", inputs.get(1).path("id").asText());
        assertTrue(inputs.get(1).path("onAir").asBoolean());
        assertTrue(inputs.get(1).path("publishing").asBoolean());
        assertEquals("/hls/keynote/cam2/ll.m3u8", inputs.get(1).path("urls").path("llHls").asText());
        assertEquals("/hls/keynote/cam2/index.m3u8", inputs.get(1).path("urls").path("hls").asText());
    }

    @Test
    void answersThePublicStateAndNoKeyOrAddress() throws Exception {
        rooms.put("keynote", adminView(true, true));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/public/rooms/keynote"));
        FullHttpResponse response = channel.readOutbound();
        String body = response.content().toString(StandardCharsets.UTF_8);
        assertEquals(200, response.status().code());
        assertEquals("*", response.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN));
        response.release();
        for (String secret : List.of(KEY, "streamName", "10.0.0.7", "10.0.0.9", "publisher", "obs-output", "inputs", "viewers")) {
            assertFalse(body.contains(secret), secret + " leaked in " + body);
        }
        JsonNode room = json.readTree(body);
        assertEquals("Keynote", room.path("title").asText());
        assertTrue(room.path("live").asBoolean());
        assertEquals("token", room.path("access").asText());
        assertEquals("access", room.path("accessParameter").asText());
        assertEquals(3.0, room.path("bandwidth").path("requiredMbps").asDouble());
        assertEquals("enforce", room.path("bandwidth").path("policy").asText());
        assertEquals("/bwcheck/keynote", room.path("bandwidth").path("probe").asText());
        assertEquals("bwtoken", room.path("bandwidth").path("tokenParameter").asText());
        assertEquals("/hls/keynote/ll.m3u8", room.path("urls").path("llHls").asText());
        assertEquals("/hls/keynote/index.m3u8", room.path("urls").path("hls").asText());
        assertEquals(1935, room.path("rtmpPort").asInt());
    }

    @Test
    void unknownRoomsAndResourcesAre404() {
        for (String uri : List.of("/api/public/rooms/nope", "/api/public/rooms/nope/events", "/api/public/rooms/",
                "/api/public/rooms/keynote/other")) {
            channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
            FullHttpResponse response = channel.readOutbound();
            assertEquals(404, response.status().code(), uri);
            response.release();
        }
    }

    @Test
    void eventsSayEveryChangeThenThatTheRoomIsGone() {
        rooms.put("keynote", adminView(false, false));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/public/rooms/keynote/events"));
        HttpResponse head = channel.readOutbound();
        assertEquals("text/event-stream; charset=utf-8", head.headers().get(HttpHeaderNames.CONTENT_TYPE));
        String first = text(channel.readOutbound());
        assertTrue(first.contains("event: room\ndata: {") && first.contains("\"live\":false") && first.endsWith("\n\n"), first);
        assertFalse(first.contains(KEY));

        channel.advanceTimeBy(PublicRoomRoute.CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readOutbound(), "nothing changed, nothing sent");

        rooms.put("keynote", adminView(true, true)); // GO LIVE
        channel.advanceTimeBy(PublicRoomRoute.CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        String live = text(channel.readOutbound());
        assertTrue(live.startsWith("event: room\n") && live.contains("\"live\":true"), live);
        assertFalse(live.contains(KEY));

        channel.advanceTimeBy(PublicRoomRoute.KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
        for (long t = 0; t < PublicRoomRoute.KEEP_ALIVE.toMillis(); t += PublicRoomRoute.CHECK_EVERY.toMillis()) {
            channel.runScheduledPendingTasks();
        }
        assertEquals(": keep-alive\n\n", text(channel.readOutbound()));

        rooms.remove("keynote");
        channel.advanceTimeBy(PublicRoomRoute.CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("event: gone\ndata: {}\n\n", text(channel.readOutbound()));
        assertInstanceOf(LastHttpContent.class, channel.readOutbound());
        channel.runPendingTasks();
        assertFalse(channel.isOpen(), "the stream ends with the room");
    }

    private static String text(Object chunk) {
        HttpContent content = assertInstanceOf(HttpContent.class, chunk);
        try {
            return content.content().toString(StandardCharsets.UTF_8);
        } finally {
            content.release();
        }
    }
}
