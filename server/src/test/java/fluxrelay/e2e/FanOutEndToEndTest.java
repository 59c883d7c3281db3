package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.HttpFlvTestClient;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ffmpeg publishes; many RTMP and HTTP-FLV viewers (our clients and ffmpeg as a player) watch. */
class FanOutEndToEndTest {

    private TestServer server;
    private EventLoopGroup clients;

    @BeforeEach
    void start() throws Exception {
        // Generous per-viewer buffers: on a busy CI machine a reader thread may pause for a while, and this test
        // wants every frame (drops under real congestion are covered by SlowViewerEndToEndTest).
        server = TestServer.start("relay.rtmp { write-buffer-low-water-mark = 4MiB, write-buffer-high-water-mark = 16MiB }\n"
                + "relay.stream.viewer-max-queued-bytes = 32MiB");
        clients = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        server.close();
        clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Ffmpeg.Run publish(String sample, boolean loop) throws Exception {
        Path file = SampleMedia.file(sample);
        List<String> args = new ArrayList<>(List.of("-re"));
        if (loop) {
            args.addAll(List.of("-stream_loop", "-1"));
        }
        args.addAll(List.of("-i", file.toString(), "-c", "copy", "-f", "flv", server.rtmpUrl("live", TestServer.KEY)));
        return Ffmpeg.startFfmpeg(args.toArray(String[]::new));
    }

    /** The input's frames; end-of-sequence markers are the encoder muxer's own, stamped at its own time. */
    private static List<String> describe(List<SampleMedia.Tag> tags) {
        return tags.stream().filter(t -> !t.endOfSequence()).map(t -> t.type() + "@" + t.timestamp() + ":" + t.size()).toList();
    }

    @Test
    void fiftyRtmpAndFiftyHttpFlvViewersGetEveryFrameInOrder() throws Exception {
        List<RtmpTestClient> rtmpViewers = new ArrayList<>();
        List<HttpFlvTestClient> flvViewers = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                RtmpTestClient viewer = RtmpTestClient.connect(clients, "127.0.0.1", server.rtmpPort(), "live");
                viewer.play("demo");
                rtmpViewers.add(viewer);
                flvViewers.add(new HttpFlvTestClient(server.httpUrl("/live/demo.flv")));
            }
            // 100 viewers and the room's HLS packager.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().streams().stream("demo", true).snapshot().subscribers() == 101);
            List<String> expected = describe(SampleMedia.mediaTags(SampleMedia.AV_720P));
            try (Ffmpeg.Run ffmpeg = publish(SampleMedia.AV_720P, false)) {
                assertEquals(0, ffmpeg.await(60), ffmpeg.output());
            }
            for (RtmpTestClient viewer : rtmpViewers) {
                await().atMost(Duration.ofSeconds(10)).until(() -> media(viewer).size() > expected.size());
                List<RtmpTestClient.Received> got = media(viewer).stream().filter(r -> !r.endOfSequence()).toList();
                assertEquals(expected, got.stream().map(r -> r.typeId() + "@" + r.timestamp() + ":" + r.size()).toList());
                assertTrue(got.stream().filter(RtmpTestClient.Received::isVideo).filter(r -> !r.sequenceHeader()).findFirst()
                        .orElseThrow().keyframe(), "the first picture is a keyframe");
            }
            for (HttpFlvTestClient viewer : flvViewers) {
                await().atMost(Duration.ofSeconds(10)).until(() -> viewer.media().size() > expected.size());
                assertEquals(200, viewer.status());
                assertEquals("video/x-flv", viewer.contentType());
                assertTrue(viewer.headerOk());
                assertEquals(expected, viewer.media().stream().filter(t -> !t.endOfSequence())
                        .map(t -> t.type() + "@" + t.timestamp() + ":" + t.size()).toList());
            }
        } finally {
            rtmpViewers.forEach(RtmpTestClient::close);
            for (HttpFlvTestClient viewer : flvViewers) {
                viewer.close();
            }
        }
    }

    private static List<RtmpTestClient.Received> media(RtmpTestClient viewer) {
        return viewer.received().stream().filter(r -> r.isAudio() || r.isVideo()).toList();
    }

    @Test
    void ffprobeAndFfmpegPlayTheRtmpAndHttpFlvOutputs() throws Exception {
        try (Ffmpeg.Run publisher = publish(SampleMedia.AV_720P, true)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> server.server().streams().stream("demo", true).snapshot().visible());
            try (Ffmpeg.Run probe = Ffmpeg.startFfprobe("-v", "error", "-show_entries", "stream=codec_name,width,height",
                    "-of", "csv=p=0", server.rtmpUrl("live", "demo"))) {
                assertEquals(0, probe.await(30), probe.output());
                assertTrue(probe.output().contains("h264,1280,720"), probe.output());
                assertTrue(probe.output().contains("aac"), probe.output());
                assertTrue(!probe.output().contains("text"), "no stray text stream from late metadata: " + probe.output());
            }
            try (Ffmpeg.Run player = Ffmpeg.startFfmpeg("-v", "info", "-i", server.httpUrl("/live/demo.flv"), "-t", "3",
                    "-f", "null", "-")) {
                assertEquals(0, player.await(40), player.output());
                assertTrue(player.output().matches("(?s).*frame=\\s*[1-9]\\d+.*"), player.output());
            }
            try (Ffmpeg.Run player = Ffmpeg.startFfmpeg("-v", "info", "-i", server.rtmpUrl("live", "demo"), "-t", "3",
                    "-f", "null", "-")) {
                assertEquals(0, player.await(40), player.output());
                assertTrue(player.output().matches("(?s).*frame=\\s*[1-9]\\d+.*"), player.output());
            }
        }
    }

    @Test
    void viewersStayThroughAPublisherReconnectAndTimeNeverGoesBack() throws Exception {
        RtmpTestClient viewer = RtmpTestClient.connect(clients, "127.0.0.1", server.rtmpPort(), "live");
        HttpFlvTestClient flvViewer = new HttpFlvTestClient(server.httpUrl("/live/demo.flv"));
        try {
            viewer.play("demo");
            try (Ffmpeg.Run first = publish(SampleMedia.AV_720P, true)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> media(viewer).size() > 60);
                first.close();
            }
            int before = media(viewer).size();
            int flvBefore = flvViewer.media().size();
            long republished = System.nanoTime();
            try (Ffmpeg.Run second = publish(SampleMedia.AV_720P, true)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> media(viewer).size() > before + 30);
                await().atMost(Duration.ofSeconds(10)).until(() -> flvViewer.media().size() > flvBefore + 30);
                long firstNew = media(viewer).stream().filter(r -> r.keyframe() && r.receivedNanos() > republished)
                        .findFirst().orElseThrow().receivedNanos();
                System.out.printf("first keyframe again %d ms after the new encoder was started%n",
                        TimeUnit.NANOSECONDS.toMillis(firstNew - republished));
            }
            assertTrue(viewer.isOpen());
            assertMonotonic(media(viewer).stream().map(RtmpTestClient.Received::timestamp).toList());
            assertMonotonic(flvViewer.media().stream().map(HttpFlvTestClient.Tag::timestamp).toList());
            // Back within the publisher gap grace: nothing said that would end a player's play, and only the first
            // publish announced (the viewer was there before it).
            List<String> codes = viewer.statuses().stream().map(RtmpTestClient::statusCode).toList();
            assertEquals(List.of("NetStream.Play.Reset", "NetStream.Play.Start", "NetStream.Play.PublishNotify"), codes);
        } finally {
            viewer.close();
            flvViewer.close();
        }
    }

    @Test
    void aViewerJoiningARunningStreamStartsAtOnceWithAKeyframe() throws Exception {
        try (Ffmpeg.Run publisher = publish(SampleMedia.AV_720P, true)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> server.server().streams().stream("demo", true).snapshot().visible());
            // Land mid-GOP: the hub is a second of media past where it became visible (keyframes every 2 s).
            long visibleAt = server.server().streams().stream("demo", true).snapshot().lastTimestamp();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> server.server().streams().stream("demo", true).snapshot().lastTimestamp() >= visibleAt + 1000);
            List<Long> firstFrameMillis = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                try (RtmpTestClient viewer = RtmpTestClient.connect(clients, "127.0.0.1", server.rtmpPort(), "live")) {
                    viewer.play("demo");
                    await().atMost(Duration.ofSeconds(5)).until(() -> media(viewer).stream().anyMatch(RtmpTestClient.Received::keyframe));
                    RtmpTestClient.Received first = media(viewer).stream().filter(r -> r.isVideo() && !r.sequenceHeader())
                            .findFirst().orElseThrow();
                    assertTrue(first.keyframe(), "first picture is a keyframe");
                    firstFrameMillis.add(TimeUnit.NANOSECONDS.toMillis(first.receivedNanos() - t0));
                }
            }
            System.out.println("time to first frame (connect to keyframe), ms: " + firstFrameMillis);
        }
    }

    private static void assertMonotonic(List<Long> timestamps) {
        for (int i = 1; i < timestamps.size(); i++) {
            assertTrue(timestamps.get(i) >= timestamps.get(i - 1), "timestamps went backwards at " + i + ": "
                    + timestamps.subList(Math.max(0, i - 3), Math.min(timestamps.size(), i + 3)));
        }
    }
}
