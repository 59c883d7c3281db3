package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.rtmp.amf.AmfBoolean;
import fluxrelay.rtmp.amf.AmfNumber;
import fluxrelay.rtmp.message.CommandMessage;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RTMP connections set up on a setup loop and moved to a worker loop at their play ({@code relay.rtmp.setup-threads}):
 * a command the player sends right behind the play, read while the connection moves, is handled after the play, on the
 * worker, as it would be without the move; and the viewer then plays there. The same with setup loops off.
 */
class SetupLoopsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relay.rtmp.setup-threads = 1", "relay.rtmp.setup-threads = 0"})
    void aPauseSentBehindThePlayIsHandledAfterIt(String hocon) throws Exception {
        server = TestServer.start(hocon);
        List<MediaFrame> frames = SampleMedia.frames(SampleMedia.AV_720P);
        try (RtmpTestClient publisher = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live");
             RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            // Headers and a first keyframe, so a joiner is sent a start.
            publisher.publishPipelined(TestServer.KEY, frames.stream()
                    .filter(f -> f.timestamp() <= 100 && !(f instanceof ScriptFrame)).toList());
            publisher.awaitStatus("NetStream.Publish.Start", WAIT);
            await().atMost(WAIT).until(() -> server.server().streams().find("demo")
                    .map(h -> h.snapshot().gopCacheFrames() > 0).orElse(false));

            int sid = viewer.playFollowedBy("demo", "pause", AmfBoolean.TRUE, new AmfNumber(0));
            viewer.awaitStatus("NetStream.Pause.Notify", WAIT);
            List<String> codes = viewer.statuses().stream().map(SetupLoopsEndToEndTest::code).toList();
            assertTrue(codes.indexOf("NetStream.Play.Start") >= 0
                    && codes.indexOf("NetStream.Play.Start") < codes.indexOf("NetStream.Pause.Notify"),
                    "the play started before the pause was handled: " + codes);
            assertEquals(-1, codes.indexOf("_error"), "no command was refused: " + codes);

            int before = viewer.received().size();
            viewer.send(sid, "pause", AmfBoolean.FALSE, new AmfNumber(0));
            viewer.awaitStatus("NetStream.Unpause.Notify", WAIT);
            await().atMost(WAIT).until(() -> viewer.received().stream().skip(before).anyMatch(RtmpTestClient.Received::keyframe));
        } finally {
            frames.forEach(MediaFrame::release);
        }
    }

    private static String code(CommandMessage status) {
        return status.name().equals("onStatus") ? RtmpTestClient.statusCode(status) : status.name();
    }
}
