package fluxrelay.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import fluxrelay.bandwidth.BandwidthPolicy;
import fluxrelay.bandwidth.BandwidthRegistry;
import fluxrelay.bandwidth.BandwidthRequirement;
import fluxrelay.bandwidth.BandwidthSettings;
import fluxrelay.bandwidth.MeasurementMethod;
import fluxrelay.bandwidth.ProbeTokens;
import fluxrelay.egress.ChannelViewer;
import fluxrelay.egress.EgressCounters;
import fluxrelay.egress.ViewerLimits;
import fluxrelay.playback.PlaybackService;
import fluxrelay.rooms.ActivityListener;
import fluxrelay.rooms.InMemoryRoomRegistry;
import fluxrelay.rooms.Room;
import fluxrelay.stream.StreamLimits;
import fluxrelay.stream.StreamRegistry;
import fluxrelay.testing.MeasuredRendition;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An HTTP-FLV viewer of a room with a quality rendition, probed below the room's 3 Mbit/s: it gets the rendition, is
 * told which and why in response headers, and is monitored against the rendition's need rather than the room's rate.
 */
class HttpFlvRenditionTest {

    private final InMemoryRoomRegistry rooms = new InMemoryRoomRegistry(List.of(
            new Room("abr", "ABR", "live", "abr-key-0123456789", true)));
    private final StreamRegistry streams = new StreamRegistry(new StreamLimits(1 << 20, 1000));
    private final BandwidthRegistry bandwidth = new BandwidthRegistry(
            new BandwidthSettings(BandwidthRequirement.ofMbps(3, BandwidthPolicy.ENFORCE), false,
                    new BandwidthSettings.Probe(Duration.ofSeconds(2), 256 * 1024, 4 << 20, Duration.ofSeconds(10), 4),
                    new BandwidthSettings.Monitor(true, Duration.ofSeconds(1), Duration.ofSeconds(5), 0),
                    Duration.ofMinutes(2), "bwtoken", 20),
            Map.of(), ProbeTokens.randomSecret(), Clock.systemUTC());
    private final PlaybackService playback = new PlaybackService(rooms, streams, bandwidth, null, 10);
    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpRouter(List.of(new HttpFlvRoute(playback,
            new ViewerLimits(4 << 20, Duration.ofSeconds(10), Duration.ZERO), new EgressCounters("http-flv"), () -> true,
            ActivityListener.NONE, bandwidth))));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        streams.close();
    }

    private HttpResponse play(double mbps) {
        String token = bandwidth.tokens().issue("abr", Math.round(mbps * 1e6), MeasurementMethod.TCP_ACKS);
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/live/abr.flv?bwtoken=" + token));
        return assertInstanceOf(HttpResponse.class, channel.readOutbound());
    }

    @Test
    void aViewerGivenTheRenditionIsToldInHeadersAndWatchedAgainstItsNeed() {
        try (MeasuredRendition rendition = MeasuredRendition.start(streams, "abr", "480p")) {
            HttpResponse response = play(1.6);
            assertEquals(200, response.status().code());
            assertEquals("480p", response.headers().get(HttpFlvRoute.RENDITION_HEADER));
            assertEquals("1.600", response.headers().get(HttpFlvRoute.MEASURED_HEADER));
            assertEquals("3.000", response.headers().get(HttpFlvRoute.REQUIRED_HEADER));
            assertEquals("X-Rendition, X-Bandwidth-Measured-Mbps, X-Bandwidth-Required-Mbps",
                    response.headers().get("Access-Control-Expose-Headers"));
            ChannelViewer viewer = (ChannelViewer) rendition.hub().viewers().iterator().next();
            long need = playback.ladder("abr").rendition("480p").orElseThrow().bitsPerSecond();
            assertFalse(need >= 3_000_000, "the rendition needs less than the program");
            assertEquals(need, viewer.bandwidth().requirement().bitsPerSecond(), "monitored against the rendition's need");
        }
    }

    @Test
    void aViewerOfTheProgramGetsNoRenditionHeaders() {
        try (MeasuredRendition rendition = MeasuredRendition.start(streams, "abr", "480p")) {
            HttpResponse response = play(8);
            assertEquals(200, response.status().code());
            assertNull(response.headers().get(HttpFlvRoute.RENDITION_HEADER));
            assertNull(response.headers().get(HttpFlvRoute.MEASURED_HEADER));
            assertEquals(0, rendition.hub().snapshot().subscribers());
        }
    }
}
