package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A viewer that never reads must not delay anyone, and the server's memory for it stays bounded. */
class SlowViewerEndToEndTest {

    @Test
    void aViewerThatNeverReadsIsDroppedAndHurtsNobody() throws Exception {
        try (TestServer server = TestServer.start("relay.stream.viewer-max-lag = 2s")) {
            long directBefore = directMemory();
            try (RtmpTestClient healthy = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live");
                 RtmpTestClient stuck = RtmpTestClient.connectSmallWindow("127.0.0.1", server.rtmpPort(), "live")) {
                healthy.play("demo");
                stuck.play("demo");
                // Two viewers and the room's HLS packager.
                await().atMost(Duration.ofSeconds(5)).until(() -> server.server().streams().stream("demo", true).snapshot().subscribers() == 3);
                stuck.stopReading();
                Path sample = SampleMedia.file(SampleMedia.AV_720P);
                // 60 s of the sample at four times real time: about 13 MB, more than the stuck viewer's windows hold.
                try (Ffmpeg.Run ffmpeg = Ffmpeg.startFfmpeg("-readrate", "4", "-stream_loop", "9", "-i", sample.toString(), "-c", "copy",
                        "-f", "flv", server.rtmpUrl("live", TestServer.KEY))) {
                    await().atMost(Duration.ofSeconds(30)).until(() -> server.server().streams().stream("demo", true).snapshot().subscribers() == 2);
                    long directDuring = directMemory();
                    System.out.printf("direct memory: before %d KiB, with the stuck viewer dropped %d KiB%n", directBefore / 1024,
                            directDuring / 1024);
                    ffmpeg.await(60);
                }
                // Ten plays of the clip's frames; its two sequence headers are sent once, end-of-sequence not at all.
                int expected = (int) SampleMedia.mediaTags(SampleMedia.AV_720P).stream()
                        .filter(t -> !t.endOfSequence()).count() * 10 - 2 * 9;
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTrue(mediaCount(healthy) >= expected,
                        "the healthy viewer got " + mediaCount(healthy) + " of " + expected + " frames"));
                List<Long> ts = healthy.received().stream().filter(r -> r.isAudio() || r.isVideo())
                        .map(RtmpTestClient.Received::timestamp).toList();
                for (int i = 1; i < ts.size(); i++) {
                    assertTrue(ts.get(i) >= ts.get(i - 1), "healthy viewer saw time go back at " + i);
                }
                assertTrue(healthy.isOpen());
                System.out.printf("healthy viewer received %d of %d frames%n", mediaCount(healthy), expected);
            }
        }
    }

    private static long directMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    private static int mediaCount(RtmpTestClient client) {
        return (int) client.received().stream().filter(r -> r.isAudio() || r.isVideo()).count();
    }
}
