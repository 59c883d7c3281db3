package fluxrelay.testing;

import static org.awaitility.Awaitility.await;

import fluxrelay.rtmp.command.StatusCodes;
import fluxrelay.stream.FeedId;
import java.time.Duration;

/**
 * A server whose room {@code demo} is fed by the FFmpeg 8.1 multitrack capture ({@link MultitrackCapture}) over RTMP,
 * started once its rendition {@code 120p} is visible: what the rendition and multitrack end-to-end tests share.
 */
public final class MultitrackRoom implements AutoCloseable {

    private final TestServer server;
    private final RtmpTestClient encoder;
    private final MultitrackCapture capture;

    private MultitrackRoom(TestServer server, RtmpTestClient encoder, MultitrackCapture capture) {
        this.server = server;
        this.encoder = encoder;
        this.capture = capture;
    }

    /** Starts a server with {@code config}, publishes the capture and waits until rendition {@code 120p} is visible. */
    public static MultitrackRoom start(String config) throws Exception {
        TestServer server = TestServer.start(config);
        RtmpTestClient encoder = null;
        MultitrackCapture capture = null;
        try {
            encoder = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live");
            int stream = encoder.publish(TestServer.KEY);
            encoder.awaitStatus(StatusCodes.PUBLISH_START, Duration.ofSeconds(10));
            capture = MultitrackCapture.start(encoder, stream);
            MultitrackCapture sending = capture;
            await().atMost(Duration.ofSeconds(15)).failFast(sending.sending()::isDone).until(() -> server.server().streams()
                    .find(FeedId.rendition("demo", "120p")).map(hub -> hub.snapshot().visible()).orElse(false));
            return new MultitrackRoom(server, encoder, capture);
        } catch (Exception | Error e) {
            new MultitrackRoom(server, encoder, capture).close();
            throw e;
        }
    }

    public TestServer server() {
        return server;
    }

    @Override
    public void close() throws Exception {
        try {
            if (capture != null) {
                capture.close();
            }
        } finally {
            try {
                if (encoder != null) {
                    encoder.close();
                }
            } finally {
                server.close();
            }
        }
    }
}
