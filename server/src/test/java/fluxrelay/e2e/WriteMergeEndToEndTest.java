package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.Http;
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
import org.junit.jupiter.api.Test;
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
            assertTrue(framesInStep() > 0, "frames were taken once for the viewers in step");
        } finally {
            viewers.forEach(RtmpTestClient::close);
        }
    }

    /**
     * Viewers that join the playing room in different groups of pictures start their timelines at different points,
     * and are still written to in step with the others (each frame taken once for all of a loop's viewers); one that is
     * answered a command meanwhile leaves the step for that write and joins again. Each gets, after the sequence
     * headers, every frame from the keyframe it started at to the end, in order, on its own timeline.
     */
    @Test
    void viewersJoiningInDifferentGroupsOfPicturesStayInStepAndGetEveryFrame() throws Exception {
        server = TestServer.start("relay.rtmp { write-buffer-low-water-mark = 4MiB, write-buffer-high-water-mark = 16MiB }\n"
                + "relay.stream { viewer-max-queued-bytes = 32MiB, write-merge = 350ms, write-merge-slots = 8 }");
        List<SampleMedia.Tag> tags = SampleMedia.mediaTags(SampleMedia.AV_720P).stream().filter(t -> !t.endOfSequence()).toList();
        List<RtmpTestClient> early = new ArrayList<>();
        List<RtmpTestClient> joiners = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                RtmpTestClient viewer = RtmpTestClient.connect(clients, "127.0.0.1", server.rtmpPort(), "live");
                viewer.play("demo");
                early.add(viewer);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> server.server().streams().stream("demo", true).snapshot().subscribers() == early.size() + 1);
            RtmpTestClient watch = early.get(0);
            try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-re", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                    "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY))) {
                // Two joiners in each of the 2nd and 3rd groups of pictures (keyframes 2 s apart), as the room plays.
                for (long at : new long[] {2600, 2900, 4600, 4900}) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> lastTimestamp(watch) >= at);
                    RtmpTestClient joiner = RtmpTestClient.connect(clients, "127.0.0.1", server.rtmpPort(), "live");
                    joiner.play("demo");
                    joiners.add(joiner);
                }
                // A command answered to a viewer in step: it leaves the step for the answer and joins again.
                joiners.get(0).sync();
                assertEquals(0, ffmpeg.await(60), ffmpeg.output());
            }
            int last = tags.size() - 1;
            for (RtmpTestClient joiner : joiners) {
                await().atMost(Duration.ofSeconds(10)).until(() -> media(joiner).stream().anyMatch(r -> sameTag(r, tags.get(last))));
                List<RtmpTestClient.Received> got = media(joiner).stream().filter(r -> !r.endOfSequence()).toList();
                assertTrue(got.get(0).sequenceHeader() && got.get(1).sequenceHeader(), "sequence headers first: " + got.get(0));
                List<RtmpTestClient.Received> frames = got.subList(2, got.size());
                int from = tags.size() - frames.size();
                SampleMedia.Tag keyframe = tags.get(from);
                assertTrue(keyframe.keyframe() && from > 0, "starts at a keyframe of the clip: " + frames.get(0));
                for (int i = 0; i < frames.size(); i++) {
                    SampleMedia.Tag tag = tags.get(from + i);
                    RtmpTestClient.Received frame = frames.get(i);
                    assertTrue(sameTag(frame, tag), "frame " + i + " of a joiner at " + keyframe.timestamp() + " ms: " + frame + ", not " + tag);
                    assertEquals(Math.max(0, tag.timestamp() - keyframe.timestamp()), frame.timestamp(),
                            "on the joiner's timeline, from its keyframe: frame " + i);
                }
            }
            assertTrue(framesInStep() > 0, "frames were taken once for the viewers in step");
        } finally {
            early.forEach(RtmpTestClient::close);
            joiners.forEach(RtmpTestClient::close);
        }
    }

    private static boolean sameTag(RtmpTestClient.Received received, SampleMedia.Tag tag) {
        return received.typeId() == tag.type() && received.size() == tag.size();
    }

    private static long lastTimestamp(RtmpTestClient viewer) {
        List<RtmpTestClient.Received> media = media(viewer);
        return media.isEmpty() ? -1 : media.get(media.size() - 1).timestamp();
    }

    /** What the server counts of the frames it took once for RTMP viewers in step. */
    private double framesInStep() throws Exception {
        String metrics = Http.get(server.httpUrl("/metrics")).body();
        return MetricsEndToEndTest.value(metrics, "fluxrelay_egress_frames_in_step_total{protocol=\"rtmp\"}");
    }

    private static List<RtmpTestClient.Received> media(RtmpTestClient viewer) {
        return viewer.received().stream().filter(r -> r.isAudio() || r.isVideo()).toList();
    }
}
