package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code relay.stream.write-merge} with its viewers spread over slots, and the adaptive flush interval spread over
 * slots ({@code relay.stream.flush-slots}): viewers of one loop in different slots share the loop's merged encodings,
 * which must live until the last slot that wrote them has flushed. Every viewer still gets every frame, in order.
 */
class WriteMergeEndToEndTest {

    private static final int VIEWERS = 24;

    private TestServer server;
    private EventLoopGroup clients;

    @BeforeEach
    void clients() {
        clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest
    @ValueSource(strings = {"write-merge = 350ms, write-merge-slots = 8", "flush-slots = 8"})
    void viewersInEverySlotGetEveryFrameInOrder(String flushing) throws Exception {
        // Generous buffers as in FanOutEndToEndTest: this test wants every frame, whatever the machine's pauses.
        server = TestServer.start("relay.rtmp { write-buffer-low-water-mark = 4MiB, write-buffer-high-water-mark = 16MiB }\n"
                + "relay.stream { viewer-max-queued-bytes = 32MiB, " + flushing + " }");
        List<RtmpTestClient> viewers = new ArrayList<>();
        try {
            for (int i = 0; i < VIEWERS; i++) {
                RtmpTestClient viewer = RtmpTestClient.connect(clients, "127.0.0.1", server.rtmpPort(), "live");
                viewer.play("demo");
                viewers.add(viewer);
            }
            // The viewers and the room's HLS packager.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.server().streams().stream("demo", true).snapshot().subscribers() == VIEWERS + 1);
            List<String> expected = SampleMedia.mediaTags(SampleMedia.AV_720P).stream().filter(t -> !t.endOfSequence())
                    .map(t -> t.type() + "@" + t.timestamp() + ":" + t.size()).toList();
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                    "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY))) {
                assertEquals(0, ffmpeg.await(60), ffmpeg.output());
            }
            for (RtmpTestClient viewer : viewers) {
                await().atMost(Duration.ofSeconds(10)).until(() -> media(viewer).size() > expected.size());
                assertEquals(expected, media(viewer).stream().filter(r -> !r.endOfSequence())
                        .map(r -> r.typeId() + "@" + r.timestamp() + ":" + r.size()).toList());
            }
        } finally {
            viewers.forEach(RtmpTestClient::close);
        }
    }

    private static List<RtmpTestClient.Received> media(RtmpTestClient viewer) {
        return viewer.received().stream().filter(r -> r.isAudio() || r.isVideo()).toList();
    }
}
