package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.stream.FeedId;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
import fluxrelay.testing.MultitrackCapture;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A ladder room whose encoder sends its own renditions (the real Enhanced RTMP v2 multitrack capture, 320x240 with a
 * 160x120 track): the encoder's rendition is served and the ladder stays off, though its 100p rung is below the
 * program's picture.
 */
class LadderMultitrackEndToEndTest {

    private static final String KEY = "ladder-multi-key-0123456789";

    @Test
    void aMultitrackEncoderGetsNoLadder() throws Exception {
        try (TestServer server = TestServer.start("relay.ladder.ffmpeg = \"" + Ffmpeg.ffmpeg() + "\"\n"
                + "relay.rooms = [ { id = multi, stream-name = \"" + KEY + "\","
                + " ladder = [ { id = 100p, height = 100, video-kbps = 200 } ] } ]");
             RtmpTestClient encoder = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            int stream = encoder.publish(KEY);
            encoder.awaitStatus(StatusCodes.PUBLISH_START, Duration.ofSeconds(10));
            try (MultitrackCapture capture = MultitrackCapture.start(encoder, stream)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> server.server().streams()
                        .find(FeedId.rendition("multi", "120p")).map(hub -> hub.snapshot().visible()).orElse(false));
                // Past the ladder's start delay, for a while: no ladder process, no ladder rendition, the view says idle.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                        ProcessHandle.current().descendants().noneMatch(p -> p.info().arguments()
                                .map(a -> String.join(" ", a).contains("ladder?room=multi")).orElse(false))
                        && server.server().streams().find(FeedId.rendition("multi", "100p")).isEmpty());
                String view = Http.get(server.httpUrl("/api/rooms/multi")).body();
                assertTrue(view.contains("\"ladder\":{\"state\":\"idle\",\"pid\":null,\"renditions\":[]"), view);
            }
        }
    }
}
