package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import fluxrelay.access.AccessPolicy;
import fluxrelay.access.AccessTokens;
import fluxrelay.access.Revocations;
import fluxrelay.access.ViewerAccess;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.hls.HlsPackager;
import fluxrelay.hls.PackagerSettings;
import fluxrelay.playback.FeedSources;
import fluxrelay.playback.InternalPlays;
import fluxrelay.playback.PlaybackService;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.Feed;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HTTP-FLV and HLS paths of one input (issue 19): {@code /{app}/{room-id}/{input-id}.flv} and
 * {@code /hls/{room-id}/{input-id}/{file}}, next to the room's program paths, with the same access rules.
 */
class InputPathsTest {

    private static final String SECRET = "platform-secret-0123456789abcdef-0001";

    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(
            new Room("stage", "Stage", "live", List.of(new Feed("main", "stage-main-0123456789"),
                    new Feed("cam2", "stage-cam2-0123456789")), true),
            new Room("vip", "VIP", "live", List.of(new Feed("main", "vip-main-0123456789"),
                    new Feed("cam2", "vip-cam2-0123456789")), true)));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 1000));
    private final AccessTokens tokens = new AccessTokens(List.of(SECRET));
    private final AccessPolicy access = new AccessPolicy(ViewerAccess.OPEN, tokens, new Revocations(10, Clock.systemUTC()),
            "access", Clock.systemUTC());
    private final HlsPackager packager = new HlsPackager(new PackagerSettings(Duration.ofSeconds(1), 6, 1 << 20, 1), null,
            ByteBufAllocator.DEFAULT);
    private final EmbeddedChannel channel;

    InputPathsTest() {
        access.set("vip", ViewerAccess.TOKEN);
        BandwidthRegistry bandwidth = BandwidthRegistry.disabled();
        PlaybackService playback = new PlaybackService(rooms, streams, bandwidth, null, 10, FeedSources.LOCAL, InternalPlays.NONE,
                access);
        // Only cam2 of room stage is packaged here: its URLs find its packager, the room's own URLs none.
        packager.attach(streams.stream(new FeedId("stage", "cam2"), true));
        HlsRoute hls = new HlsRoute(playback, packager, new HlsRoute.Caching(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                new HlsBandwidth(bandwidth, null, Duration.ofMinutes(1)));
        HttpFlvRoute flv = new HttpFlvRoute(playback, new ViewerLimits(4 << 20, Duration.ofSeconds(10), Duration.ZERO),
                new EgressCounters("http-flv"), () -> true, ActivityListener.NONE, bandwidth);
        channel = new EmbeddedChannel(new HttpRouter(List.of(flv, hls)));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        streams.close();
        packager.close();
    }

    /** The status and (for a whole response) the body of a GET of {@code uri}. */
    private String get(String uri) {
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
        HttpResponse response = assertInstanceOf(HttpResponse.class, channel.readOutbound());
        String body = response instanceof FullHttpResponse full ? " " + full.content().toString(StandardCharsets.UTF_8) : "";
        if (response instanceof FullHttpResponse full) {
            full.release();
        }
        String retry = response.headers().get("Retry-After");
        return response.status().code() + body + (retry == null ? "" : " (Retry-After " + retry + ")");
    }

    private int viewers(String room, String feed) {
        return streams.stream(new FeedId(room, feed), true).snapshot().subscribers();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "/live/stage/cam2.flv, cam2",
            "/live/stage/main.flv, main",
            "/live/stage.flv,      program",
    })
    void httpFlvPlaysTheInputItsPathNames(String path, String feed) {
        String other = feed.equals("main") ? "cam2" : "main";
        // The HLS packager of cam2 is one subscriber already.
        int before = viewers("stage", feed);
        int otherBefore = viewers("stage", other);
        assertEquals("200", get(path));
        assertEquals(before + 1, viewers("stage", feed));
        assertEquals(otherBefore, viewers("stage", other));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/live/stage/nope.flv    | 404 {\"error\":\"No such room or input.\"}",
            "/live/stage/CAM2.flv    | 404 {\"error\":\"No such room or input.\"}",
            "/live/stage/cam2/x.flv  | 404 {\"error\":\"No such room or input.\"}",
            "/live/other/cam2.flv    | 404 {\"error\":\"No such room or input.\"}",
            "/vod/stage/cam2.flv     | 404 {\"error\":\"No such room or input.\"}",
            "/live/nope.flv          | 404 {\"error\":\"No such room.\"}",
    })
    void httpFlvRefusesAnUnknownInputAsAnUnknownRoom(String path, String answer) {
        assertEquals(answer, get(path));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // cam2 has a packager, not yet live; the room's own URLs and main's have none here.
            "/hls/stage/cam2/index.m3u8   | 404 {\"error\":\"The room is not live yet.\"} (Retry-After 1)",
            "/hls/stage/cam2/stream.m3u8  | 404 {\"error\":\"The room is not live yet.\"} (Retry-After 1)",
            "/hls/stage/cam2/x-1.ts       | 404 {\"error\":\"No such segment.\"}",
            "/hls/stage/index.m3u8        | 404 {\"error\":\"This room has no HLS output.\"}",
            "/hls/stage/main/index.m3u8   | 404 {\"error\":\"This room has no HLS output.\"}",
            "/hls/stage/nope/index.m3u8   | 404 {\"error\":\"No such room or input.\"}",
            "/hls/nope/cam2/index.m3u8    | 404 {\"error\":\"No such room or input.\"}",
            "/hls/nope/index.m3u8         | 404 {\"error\":\"No such room.\"}",
            "/hls/stage/CAM2/index.m3u8   | 404 {\"error\":\"Not found.\"}",
            "/hls/stage/cam2/x/index.m3u8 | 404 {\"error\":\"Not found.\"}",
            "/hls/stage/cam2/             | 404 {\"error\":\"Not found.\"}",
            "/hls/stage//index.m3u8       | 404 {\"error\":\"Not found.\"}",
            "/hls/index.m3u8              | 404 {\"error\":\"Not found.\"}",
            "/hls/stage/cam2.flv          | 404 {\"error\":\"This room has no HLS output.\"}",
    })
    void hlsFindsTheInputsPackagerUnderItsPrefix(String path, String answer) {
        assertEquals(answer, get(path));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/live/stage/cam2.flv?x=%zz",
            "/live/stage.flv?access=%",
            "/hls/stage/cam2/index.m3u8?bwtoken=%4",
    })
    void aBadPercentEscapeInTheQueryIsABadRequest(String uri) {
        // Found by fuzzing: the query was decoded by the route reading a token and threw there.
        assertEquals("400 {\"error\":\"Invalid query string (bad percent-encoding).\"}", get(uri));
    }

    @Test
    void aClusterEdgeAsksForTheOriginOfTheFeedThePathNames() {
        List<FeedId> asked = new java.util.ArrayList<>();
        HlsForwarder forwarder = new HlsForwarder(feed -> {
            asked.add(feed);
            return java.util.Optional.empty();
        }, new HlsForwarder.Signer() {
            @Override
            public String sign(String path) {
                return "signed";
            }

            @Override
            public java.util.Optional<String> refusal(String header, String path) {
                return java.util.Optional.of("not expected here");
            }
        }, 0);
        BandwidthRegistry bandwidth = BandwidthRegistry.disabled();
        HlsRoute hls = new HlsRoute(new PlaybackService(rooms, streams, bandwidth, null, 10, FeedSources.LOCAL,
                InternalPlays.NONE, access), packager, new HlsRoute.Caching(Duration.ofSeconds(1), Duration.ofMinutes(1)),
                new HlsBandwidth(bandwidth, null, Duration.ofMinutes(1)), () -> true, Duration.ofSeconds(30), forwarder);
        EmbeddedChannel edge = new EmbeddedChannel(new HttpRouter(List.of(hls)));
        for (String path : List.of("/hls/stage/cam2/index.m3u8", "/hls/stage/cam2/x-1.ts", "/hls/stage/index.m3u8")) {
            edge.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path));
            ((FullHttpResponse) edge.readOutbound()).release();
        }
        edge.finishAndReleaseAll();
        assertEquals(List.of(new FeedId("stage", "cam2"), new FeedId("stage", "cam2"), FeedId.program("stage")), asked);
    }

    @Test
    void anInputOfATokenRoomNeedsTheRoomsAccessToken() {
        String token = tokens.sign("vip", Instant.now().plus(Duration.ofHours(1)), "A-1", null);
        assertEquals("401", get("/hls/vip/cam2/index.m3u8").substring(0, 3));
        assertEquals("401", get("/live/vip/cam2.flv").substring(0, 3));
        String other = tokens.sign("stage", Instant.now().plus(Duration.ofHours(1)), "A-1", null);
        assertEquals("403", get("/live/vip/cam2.flv?access=" + other).substring(0, 3), "a token of another room");
        // Admitted: vip's cam2 has no packager here, so HLS answers that after admission.
        assertEquals("404 {\"error\":\"This room has no HLS output.\"}", get("/hls/vip/cam2/index.m3u8?access=" + token));
        assertEquals("200", get("/live/vip/cam2.flv?access=" + token));
        assertEquals(1, viewers("vip", "cam2"));
    }
}
