package fluxrelay.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import fluxrelay.media.MediaFrame;
import fluxrelay.media.ScriptFrame;
import fluxrelay.stream.FeedId;
import fluxrelay.stream.StreamSnapshot;
import fluxrelay.testing.RtmpTestClient;
import fluxrelay.testing.SampleMedia;
import fluxrelay.testing.TestServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An encoder that sends its sequence headers and first frames right behind {@code publish}, without waiting for
 * {@code NetStream.Publish.Start} (the publish is judged asynchronously: key, room, lease): those messages used to be
 * dropped while the publish was pending, so the room went on air without its sequence headers and no viewer or HLS
 * packager could decode it (the cause of a flaky Low-Latency HLS test). They are now held and go in, in order, once the
 * publish starts.
 */
class PipelinedPublishEndToEndTest {

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start("");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void headersSentBehindThePublishCommandReachTheRoom() throws Exception {
        List<MediaFrame> frames = SampleMedia.frames(SampleMedia.AV_720P);
        try (RtmpTestClient publisher = RtmpTestClient.connect("127.0.0.1", server.rtmpPort(), "live")) {
            // The headers and the first 100 ms, in the same TCP write as the publish command.
            List<MediaFrame> first = frames.stream()
                    .filter(f -> f.timestamp() <= 100 && !(f instanceof ScriptFrame)).toList();
            publisher.publishPipelined(TestServer.KEY, first);
            publisher.awaitStatus("NetStream.Publish.Start", Duration.ofSeconds(10));
            StreamSnapshot input = await().atMost(Duration.ofSeconds(10)).until(
                    () -> server.server().streams().find(FeedId.main("demo")).map(h -> h.snapshot()).orElse(null),
                    s -> s != null && s.ingest() != null && s.ingest().videoFrames() + s.ingest().audioFrames()
                            == first.stream().filter(f -> !isHeader(f)).count());
            assertNotNull(input.ingest().video(), "the video sequence header reached the input: " + input);
            assertNotNull(input.ingest().audio(), "the audio sequence header reached the input: " + input);
            assertEquals(1, input.ingest().keyframes(), "its first keyframe too: " + input);
            assertEquals(first.size(), input.gopCacheFrames(), "headers and frames, none lost: " + input);
            StreamSnapshot program = await().atMost(Duration.ofSeconds(10)).until(
                    () -> server.server().streams().find("demo").map(h -> h.snapshot()).orElse(null),
                    s -> s != null && s.gopCacheFrames() == first.size());
            assertNotNull(program.ingest().video(), "the program went on air with the headers: " + program);
        } finally {
            frames.forEach(MediaFrame::release);
        }
    }

    private static boolean isHeader(MediaFrame frame) {
        return frame instanceof fluxrelay.media.VideoFrame v ? v.isSequenceHeader()
                : frame instanceof fluxrelay.media.AudioFrame a && a.sequenceHeader();
    }
}
