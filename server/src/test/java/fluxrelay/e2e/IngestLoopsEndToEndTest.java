package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import fluxrelay.media.MediaFrame;
import fluxrelay.netty.LoopHandover;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.FeedTap;
import fluxrelay.stream.LiveStream;
import fluxrelay.testing.Ffmpeg;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publishers on loops of their own ({@code relay.rtmp.ingest-threads}): ffmpeg's publish moves from its setup loop to
 * the ingest loop, where the room's input hub takes its frames, and a viewer plays from an event loop. With the key at
 * 0 there are no ingest loops: the publisher's frames arrive on an event loop, as before.
 */
class IngestLoopsEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestServer server;
    private Ffmpeg.Run encoder;

    @AfterEach
    void stop() throws Exception {
        if (encoder != null) {
            encoder.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Notes the threads the input hub takes frames on (the publisher's), leaving out the test's own tap replay. */
    private static final class Threads implements FeedTap {
        final Set<Thread> seen = ConcurrentHashMap.newKeySet();
        private final Thread test = Thread.currentThread();

        @Override
        public void onPublishStart(FeedId feed) {
        }

        @Override
        public void onFrame(FeedId feed, MediaFrame frame) {
            if (Thread.currentThread() != test) {
                seen.add(Thread.currentThread());
            }
        }

        @Override
        public void onPublishStop(FeedId feed) {
        }
    }

    private static boolean runsOn(EventLoopGroup group, Thread thread) {
        for (EventExecutor loop : group) {
            if (loop.inEventLoop(thread)) {
                return true;
            }
        }
        return false;
    }

    /** Publishes the sample with ffmpeg, plays it once, and answers the threads the input hub took its frames on. */
    private Set<Thread> publishAndPlay() throws Exception {
        encoder = Ffmpeg.startFfmpeg("-re", "-stream_loop", "-1", "-i", SampleMedia.file(SampleMedia.AV_720P).toString(),
                "-c", "copy", "-f", "flv", "rtmp://127.0.0.1:" + server.rtmpPort() + "/live/" + TestServer.KEY);
        FeedId input = new FeedId("demo", FeedId.MAIN);
        await().atMost(WAIT).until(() -> server.server().streams().find(input).isPresent());
        LiveStream hub = server.server().streams().find(input).orElseThrow();
        Threads threads = new Threads();
        hub.tap(threads);
        try (RtmpTestClient viewer = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            viewer.play("demo");
            await().atMost(WAIT).until(() -> viewer.received().stream().anyMatch(RtmpTestClient.Received::keyframe));
            await().atMost(WAIT).until(() -> !threads.seen.isEmpty());
            return Set.copyOf(threads.seen);
        } finally {
            hub.untap(threads);
        }
    }

    @Test
    void aPublishersFramesAreTakenOnTheIngestLoop() throws Exception {
        server = TestServer.start("");
        LoopHandover handover = server.server().loopHandover();
        Set<Thread> threads = publishAndPlay();
        assertTrue(threads.stream().allMatch(t -> runsOn(handover.ingestLoops(), t)), "on the ingest loop: " + threads);
    }

    @Test
    void withoutIngestLoopsAPublishersFramesAreTakenOnAnEventLoop() throws Exception {
        server = TestServer.start("relay.rtmp.ingest-threads = 0");
        LoopHandover handover = server.server().loopHandover();
        assertNull(handover.ingestLoops());
        Set<Thread> threads = publishAndPlay();
        assertFalse(threads.stream().anyMatch(t -> runsOn(handover.setupLoops(), t)), "moved off the setup loop: " + threads);
    }
}
